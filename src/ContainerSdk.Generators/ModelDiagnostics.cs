using ContainerSdk.Diagnostics;
using Microsoft.CodeAnalysis;

namespace ContainerSdk.Generators;

/// <summary>
/// The diagnostic catalog of the model-aware Roslyn components: CSDK600x for the ONNX Runtime usage analyzers,
/// CSDK601x for the binding generator. Each code has docs/diagnostics/CSDKnnnn.md and a line in
/// AnalyzerReleases.Unshipped.md.
/// </summary>
public static class ModelDiagnostics
{
    public const string HelpLinkFormat = HelpLinks.Format;
    private const string Usage = "ContainerSdk.OnnxRuntime";
    private const string Binding = "ContainerSdk.ModelBinding";

    public static readonly DiagnosticDescriptor UnknownTensorName = new(
        "CSDK6001", "Name is not an input or output of the model",
        "'{0}' is not {1} of the model '{2}'; its {3} are: {4}",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A tensor name that the model does not have fails only at run time, inside the container. The names come from the model itself (the ContainerModel's signature under obj/).",
        helpLinkUri: Help("CSDK6001"));

    public static readonly DiagnosticDescriptor SessionPerRequest = new(
        "CSDK6002", "InferenceSession created per request",
        "A new InferenceSession is created {0}: loading the model on every call costs seconds and memory; create it once (a singleton, or the generated binding's Load) and share it, since Run is thread-safe",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "InferenceSession construction parses and optimizes the whole model. Inside a request handler, a controller action or a loop it runs on every call.",
        helpLinkUri: Help("CSDK6002"));

    public static readonly DiagnosticDescriptor CudaWithoutFallback = new(
        "CSDK6003", "CUDA execution provider without a fallback",
        "{0} is not inside a try/catch: on a node without a working CUDA (no GPU, wrong driver, or the CPU ONNX Runtime package, which throws EntryPointNotFoundException) the service cannot start; catch the failure and fall back to the CPU (the generated binding's LoadPreferringCuda does)",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Appending the CUDA provider throws when CUDA is not usable. Without a catch the service crash-loops instead of running on the CPU.",
        helpLinkUri: Help("CSDK6003"));

    public static readonly DiagnosticDescriptor UndisposedResults = new(
        "CSDK6004", "InferenceSession.Run results are not disposed",
        "The results of {0} are never disposed: they hold native ONNX Runtime memory that leaks on every call; use 'using var results = ...'",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Run returns a disposable collection of native values (DisposableNamedOnnxValue or OrtValue). Not disposing it leaks native memory per request (onnxruntime#7303).",
        helpLinkUri: Help("CSDK6004"));

    public static readonly DiagnosticDescriptor NoBindingForNonTensor = new(
        "CSDK6010", "No binding for a model with non-tensor values",
        "No typed binding was generated for '{0}': {1} '{2}' is {3}, which the binding cannot type; the model still ships in the image (use InferenceSession directly, or set GenerateBinding=\"false\" on the ContainerModel to silence this)",
        Binding, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Typed bindings cover tensors of the element types ONNX Runtime's C# API maps to .NET types. Sequences, maps, optionals, sparse tensors and other element types are left to InferenceSession.",
        helpLinkUri: Help("CSDK6010"));

    public static readonly DiagnosticDescriptor UnreadableSignature = new(
        "CSDK6011", "Model signature cannot be read",
        "The signature of the model '{0}' cannot be read: {1}; rebuild the project (the file under obj/ may come from another ContainerSdk version)",
        Binding, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "The generator reads the signature file that the build writes under obj/ for each ContainerModel.",
        helpLinkUri: Help("CSDK6011"));

    public static readonly DiagnosticDescriptor InvalidBindingName = new(
        "CSDK6012", "Invalid binding class name or namespace",
        "The ContainerModel '{0}' asks for the {1} '{2}', which is not a valid C# {1}{3}",
        Binding, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "ClassName must be a C# identifier (not a keyword, not Input or Output); Namespace must be dotted C# identifiers.",
        helpLinkUri: Help("CSDK6012"));

    public static readonly DiagnosticDescriptor DuplicateBinding = new(
        "CSDK6013", "Two models bind to the same class",
        "The ContainerModels '{0}' and '{1}' both bind to the class '{2}'; give one of them ClassName metadata",
        Binding, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Each binding is one class; two models with the same class name (for example model.onnx in two folders) need distinct names.",
        helpLinkUri: Help("CSDK6013"));

    private static string Help(string code) => string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLinkFormat, code);
}
