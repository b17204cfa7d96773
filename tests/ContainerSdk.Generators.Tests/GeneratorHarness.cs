using System.Collections.Immutable;
using ContainerSdk.Generators.Bindings;
using ContainerSdk.Onnx.Signatures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ContainerSdk.Generators.Tests;

/// <summary>One ContainerModel as the build hands it to the compiler: the signature file and its item metadata.</summary>
internal sealed record TestModel(string ModelFile, ModelSignature Signature, string ClassName = "", string Namespace = "", string GenerateBinding = "")
{
    public string SignaturePath => "/obj/containersdk/models/" + ModelFile.Replace('/', '_') + ".signature";
}

/// <summary>Runs <see cref="ModelBindingGenerator"/> in-process the way the compiler does, with ONNX Runtime's managed
/// assembly and the running runtime's assemblies as references (no network, no reference packs).</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    public static IReadOnlyList<MetadataReference> References { get; } = BuildReferences();

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "App",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, Parse, path: $"/src/File{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IEnumerable<TestModel> models, string rootNamespace = "App", string version = "1.2.3")
    {
        var list = models.ToList();
        var texts = list.Select(m => (AdditionalText)new TextFile(m.SignaturePath, SignatureText.Write(m.Signature))).ToImmutableArray();
        var options = new OptionsProvider(
            new Dictionary<string, string> { ["build_property.RootNamespace"] = rootNamespace, ["build_property.ContainerSdkVersion"] = version },
            list.ToDictionary(m => m.SignaturePath, m => new Dictionary<string, string>
            {
                [ModelBindingGenerator.MetadataPrefix + "ContainerSdkModelSignature"] = "true",
                [ModelBindingGenerator.MetadataPrefix + "ContainerSdkModelFile"] = m.ModelFile,
                [ModelBindingGenerator.MetadataPrefix + "ContainerSdkModelClassName"] = m.ClassName,
                [ModelBindingGenerator.MetadataPrefix + "ContainerSdkModelNamespace"] = m.Namespace,
                [ModelBindingGenerator.MetadataPrefix + "ContainerSdkModelGenerateBinding"] = m.GenerateBinding,
                [ModelBindingGenerator.MetadataPrefix + "ContainerSdkModelContainerPath"] = "/app/" + m.ModelFile,
                [ModelBindingGenerator.MetadataPrefix + "ContainerSdkModelLocalPath"] = m.ModelFile,
            }));
        return CSharpGeneratorDriver.Create(
            [new ModelBindingGenerator().AsSourceGenerator()],
            texts,
            Parse,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Generates, compiles the result with warnings as errors, and returns the generated sources.</summary>
    public static (GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> CompileDiagnostics) Generate(IEnumerable<TestModel> models, string userCode = "", string rootNamespace = "App")
    {
        var driver = Driver(models, rootNamespace).RunGeneratorsAndUpdateCompilation(Compilation(userCode), out var output, out _);
        var compile = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return (driver.GetRunResult(), compile);
    }

    public static ModelSignature Signature(IEnumerable<ValueSignature> inputs, IEnumerable<ValueSignature> outputs, string producer = "tests") =>
        new(8, producer, "1.0", "", 0,
            new EquatableArray<OpsetImport>([new OpsetImport("", 17)]),
            new EquatableArray<MetadataEntry>([new MetadataEntry("purpose", "tests")]),
            new EquatableArray<ValueSignature>(inputs), new EquatableArray<ValueSignature>(outputs), EquatableArray<string>.Empty);

    public static ValueSignature Tensor(string name, TensorElementType type, params object[] dims) =>
        new(name, ValueKind.Tensor, type,
            new EquatableArray<Dimension>(dims.Select(d => d is string s ? (s == "?" ? Dimension.Unknown : Dimension.Symbolic(s)) : Dimension.Fixed(Convert.ToInt64(d)))),
            "tensor(" + SignatureText.ElementName(type) + ")");

    private static IReadOnlyList<MetadataReference> BuildReferences()
    {
        var dir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = Directory.GetFiles(dir, "System*.dll").Concat([Path.Combine(dir, "netstandard.dll"), Path.Combine(dir, "mscorlib.dll")])
            .Where(File.Exists)
            .Where(p => !Path.GetFileName(p).Contains("Native", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location));
        return refs;
    }

    private sealed class TextFile(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class OptionsProvider(Dictionary<string, string> global, Dictionary<string, Dictionary<string, string>> perFile) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(perFile.TryGetValue(textFile.Path, out var values) ? values : []);
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
