using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ContainerSdk.Onnx.Signatures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ContainerSdk.Generators.Bindings;

/// <summary>
/// Turns each ContainerModel's signature file (an AdditionalFiles item the build writes under obj/) into a typed
/// binding class, <c>&lt;ClassName&gt;.g.cs</c>. The model itself is never opened here.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelBindingGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, for the caching test.</summary>
    public const string InputsStep = "ContainerSdk.SignatureFiles", PlansStep = "ContainerSdk.BindingPlans", OutputStep = "ContainerSdk.BindingSources";

    internal const string MetadataPrefix = "build_metadata.AdditionalFiles.";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadInput(pair.Left, pair.Right.GetOptions(pair.Left), ct))
            .Where(static input => input is not null)
            .Select(static (input, _) => input!)
            .WithTrackingName(InputsStep);

        var globals = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => new BindingGlobals(
            Global(options.GlobalOptions, "build_property.RootNamespace"),
            Global(options.GlobalOptions, "build_property.ContainerSdkVersion") is { Length: > 0 } v ? v : "0.0.0"));

        var plans = files
            .Combine(globals)
            .Select(static (pair, _) => BindingPlanner.Plan(pair.Left, pair.Right))
            .WithTrackingName(PlansStep);

        // Bindings are ONNX Runtime code: a project that ships a model but does not reference ONNX Runtime (another
        // runtime, or a model it only serves as a file) gets none, rather than code that cannot compile.
        var hasOrt = context.CompilationProvider.Select(static (compilation, _) =>
            compilation.GetTypeByMetadataName("Microsoft.ML.OnnxRuntime.InferenceSession") is not null);

        var output = plans.Collect()
            .Combine(hasOrt)
            .Select(static (pair, _) => pair.Right ? Emit(pair.Left) : new BindingOutput(EquatableArray<GeneratedSource>.Empty, EquatableArray<DiagnosticInfo>.Empty))
            .WithTrackingName(OutputStep);

        context.RegisterSourceOutput(output, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            foreach (var source in result.Sources)
            {
                spc.AddSource(source.HintName, source.Text);
            }
        });
    }

    internal static SignatureFileInput? ReadInput(AdditionalText file, AnalyzerConfigOptions options, System.Threading.CancellationToken ct)
    {
        if (!options.TryGetValue(MetadataPrefix + "ContainerSdkModelSignature", out var flag) || !string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new SignatureFileInput(
            file.Path,
            file.GetText(ct)?.ToString() ?? "",
            Metadata(options, "ContainerSdkModelFile") is { Length: > 0 } m ? m : System.IO.Path.GetFileName(file.Path),
            Metadata(options, "ContainerSdkModelClassName"),
            Metadata(options, "ContainerSdkModelNamespace"),
            Metadata(options, "ContainerSdkModelGenerateBinding"),
            Metadata(options, "ContainerSdkModelContainerPath"),
            Metadata(options, "ContainerSdkModelLocalPath"));
    }

    private static BindingOutput Emit(ImmutableArray<PlanResult> all)
    {
        var sources = new List<GeneratedSource>();
        var diagnostics = new List<DiagnosticInfo>();
        var byClass = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var result in all.OrderBy(r => r.Plan?.ModelFile ?? "", StringComparer.Ordinal))
        {
            diagnostics.AddRange(result.Diagnostics);
            if (result.Plan is not { } plan)
            {
                continue;
            }

            // Hint names are per class, and the file system may not tell case apart: one class name, one model.
            if (byClass.TryGetValue(plan.ClassName, out var first))
            {
                diagnostics.Add(new DiagnosticInfo(ModelDiagnostics.DuplicateBinding, new EquatableArray<string>(new[] { first, plan.ModelFile, plan.ClassName })));
                continue;
            }

            byClass[plan.ClassName] = plan.ModelFile;
            sources.Add(new GeneratedSource(plan.ClassName + ".g.cs", BindingEmitter.Emit(plan)));
        }

        return new BindingOutput(new EquatableArray<GeneratedSource>(sources), new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static string Metadata(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue(MetadataPrefix + name, out var value) ? value.Trim() : "";

    private static string Global(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue(name, out var value) ? value.Trim() : "";
}

/// <summary>Signature text and metadata in, a binding plan (or diagnostics) out. Pure, for the [Theory] tests.</summary>
public static class BindingPlanner
{
    public static PlanResult Plan(SignatureFileInput input, BindingGlobals globals)
    {
        if (string.Equals(input.GenerateBinding, "false", StringComparison.OrdinalIgnoreCase))
        {
            return new PlanResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        if (!SignatureText.TryParse(input.Text, out var signature, out var error))
        {
            return Fail(ModelDiagnostics.UnreadableSignature, input.ModelFile, error);
        }

        string className = input.ClassName.Length > 0 ? input.ClassName : BindingNames.ClassNameFromFile(input.ModelFile);
        if (!BindingNames.IsValidIdentifier(className) || BindingNames.ReservedClassNames.Contains(className))
        {
            return Fail(ModelDiagnostics.InvalidBindingName, input.ModelFile, "class name", className,
                BindingNames.ReservedClassNames.Contains(className) ? " here (the binding has a member of that name)" : "");
        }

        string ns = input.Namespace.Length > 0 ? input.Namespace : globals.RootNamespace;
        if (ns.Length > 0 && !BindingNames.IsValidNamespace(ns))
        {
            return Fail(ModelDiagnostics.InvalidBindingName, input.ModelFile, "namespace", ns, "");
        }

        foreach (var (value, what) in signature!.Inputs.Select(v => (v, "input")).Concat(signature.Outputs.Select(v => (v, "output"))))
        {
            if (BindingTypes.Unsupported(value) is { } why)
            {
                return Fail(ModelDiagnostics.NoBindingForNonTensor, input.ModelFile, what, value.Name, why);
            }
        }

        return new PlanResult(
            new BindingPlan(
                input.ModelFile,
                ns.Length > 0 ? ns : null,
                className,
                input.ContainerPath,
                input.LocalPath,
                globals.Version,
                signature,
                new EquatableArray<string>(BindingNames.PropertyNames(signature.Inputs.Select(i => i.Name))),
                new EquatableArray<string>(BindingNames.PropertyNames(signature.Outputs.Select(o => o.Name)))),
            EquatableArray<DiagnosticInfo>.Empty);
    }

    private static PlanResult Fail(DiagnosticDescriptor descriptor, params string[] args) =>
        new(null, new EquatableArray<DiagnosticInfo>(new[] { new DiagnosticInfo(descriptor, new EquatableArray<string>(args)) }));
}
