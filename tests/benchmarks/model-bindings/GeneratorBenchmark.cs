extern alias generators;

using System.Collections.Immutable;
using System.Diagnostics;
using ContainerSdk.Onnx.Reading;
using ContainerSdk.Onnx.Signatures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ModelBindingGenerator = generators::ContainerSdk.Generators.Bindings.ModelBindingGenerator;

namespace ModelBindingsBenchmark;

/// <summary>
/// The binding generator's cost on an edit of an unrelated .cs file, in a project with 20 models: a
/// CSharpGeneratorDriver with step tracking on, as the IDE and the compiler server keep one between edits. The first
/// run (a fresh driver) against runs after an edit (a changed and an added syntax tree), and every tracked step's
/// reasons after the edits (all must be Cached or Unchanged).
/// </summary>
public static class GeneratorBenchmark
{
    private const int SourceFiles = 20;

    public static bool Run(int rounds)
    {
        var texts = Enumerable.Range(0, BenchModels.Count).Select(i =>
        {
            ModelSignature signature = OnnxSignatureReader.Read(new MemoryStream(BenchModels.Build(i)));
            return (AdditionalText)new MemoryText($"/project/obj/containersdk/models/models_{BenchModels.FileName(i)}.signature", SignatureText.Write(signature));
        }).ToImmutableArray();
        var options = new Options(texts.Select((t, i) => (t.Path, $"models/{BenchModels.FileName(i)}")).ToDictionary(p => p.Path, p => p.Item2));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Enumerable.Range(0, SourceFiles).Select(i => CSharpSyntaxTree.ParseText(UserSource(i), parse, $"/project/Service{i:D2}.cs")).ToArray();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location));
        var compilation = CSharpCompilation.Create("Bench", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
            new[] { new ModelBindingGenerator().AsSourceGenerator() }, texts, parse, options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        // Once outside the timings: JIT, and a check that the 20 bindings compile cleanly.
        NewDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out var generatorDiagnostics);
        var errors = generated.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        int sources = generated.SyntaxTrees.Count() - trees.Length;
        Console.WriteLine($"20 models, {SourceFiles} user files: {sources} generated files, {generatorDiagnostics.Length} generator diagnostics, {errors.Count} compiler warnings/errors in the result");
        foreach (var e in errors.Take(5))
        {
            Console.WriteLine($"  {e}");
        }

        var firstMs = new List<double>();
        var editMs = new List<double>();
        var addMs = new List<double>();
        var reasons = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var firstReasons = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        for (int round = 0; round < rounds; round++)
        {
            long t0 = Stopwatch.GetTimestamp();
            GeneratorDriver driver = NewDriver().RunGenerators(compilation);
            firstMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Count(driver.GetRunResult(), firstReasons);

            // An edit of an unrelated file: one member appended to Service07.cs.
            SyntaxTree old = trees[7];
            SyntaxTree edited = old.WithChangedText(SourceText.From(old.GetText() + $"\nnamespace Bench {{ internal static class Edit{round} {{ internal static int F() => {round}; }} }}\n"));
            Compilation afterEdit = compilation.ReplaceSyntaxTree(old, edited);
            t0 = Stopwatch.GetTimestamp();
            driver = driver.RunGenerators(afterEdit);
            editMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Count(driver.GetRunResult(), reasons);

            // A new file.
            Compilation afterAdd = afterEdit.AddSyntaxTrees(CSharpSyntaxTree.ParseText($"namespace Bench {{ internal static class Added{round} {{ }} }}", parse, $"/project/Added{round}.cs"));
            t0 = Stopwatch.GetTimestamp();
            driver = driver.RunGenerators(afterAdd);
            addMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Count(driver.GetRunResult(), reasons);
        }

        Console.WriteLine($"rounds: {rounds}; first run ms [{Join(firstMs)}], after an edit [{Join(editMs)}], after an added file [{Join(addMs)}]");
        Console.WriteLine();
        Console.WriteLine("| generator run (20 models) | median | vs first run |");
        Console.WriteLine("| --- | ---: | ---: |");
        double first = SignatureBenchmark.Median(firstMs), edit = SignatureBenchmark.Median(editMs), add = SignatureBenchmark.Median(addMs);
        Console.WriteLine($"| first run (fresh driver) | {first:F3} ms | 1 |");
        Console.WriteLine($"| after editing an unrelated .cs file | {edit:F3} ms | **{edit / first:F3}** |");
        Console.WriteLine($"| after adding a .cs file | {add:F3} ms | **{add / first:F3}** |");
        Console.WriteLine();
        Console.WriteLine("| tracked step | first run: reasons (outputs) | after the edits: reasons (outputs) |");
        Console.WriteLine("| --- | --- | --- |");
        foreach (string step in firstReasons.Keys.Union(reasons.Keys).Order(StringComparer.Ordinal))
        {
            Console.WriteLine($"| {step} | {Format(firstReasons, step, rounds)} | {Format(reasons, step, rounds * 2)} |");
        }

        var bad = reasons.SelectMany(s => s.Value.Where(r => r.Key is not ("Cached" or "Unchanged")).Select(r => $"{s.Key}: {r.Key}")).ToList();
        Console.WriteLine(bad.Count == 0
            ? "after the edits every tracked step was Cached or Unchanged: no model was re-planned and no source re-emitted"
            : $"NOT CACHED after an edit: {string.Join("; ", bad)}");
        return bad.Count == 0 && errors.Count == 0 && generatorDiagnostics.IsEmpty && sources == BenchModels.Count;
    }

    private static void Count(GeneratorDriverRunResult result, SortedDictionary<string, SortedDictionary<string, int>> into)
    {
        GeneratorRunResult run = result.Results.Single();
        foreach (var (name, steps) in run.TrackedSteps.Concat(run.TrackedOutputSteps))
        {
            var counts = into.TryGetValue(name, out var c) ? c : into[name] = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                string reason = output.Reason.ToString();
                counts[reason] = counts.GetValueOrDefault(reason) + 1;
            }
        }
    }

    private static string Format(SortedDictionary<string, SortedDictionary<string, int>> all, string step, int runs) =>
        all.TryGetValue(step, out var counts)
            ? string.Join(", ", counts.Select(c => $"{c.Key} {c.Value / (double)runs:0.#}"))
            : "not run";

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F3")));

    private static string UserSource(int i) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        namespace Bench;

        /// <summary>Plain user code, none of it about the models.</summary>
        public sealed class Service{{i}}
        {
            private readonly Dictionary<string, int> _counts = new();

            public int Count(string key) => _counts.TryGetValue(key, out int n) ? n : 0;

            public void Add(IEnumerable<string> keys)
            {
                foreach (string key in keys.Where(k => k.Length > {{i % 5}}))
                {
                    _counts[key] = Count(key) + {{i}};
                }
            }

            public override string ToString() => string.Join(",", _counts.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));
        }
        """;

    private sealed class MemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>What the package's targets make the compiler see: CompilerVisibleProperty and the AdditionalFiles metadata.</summary>
    private sealed class Options(Dictionary<string, string> modelFiles) : AnalyzerConfigOptionsProvider
    {
        private static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(new Dictionary<string, string>
        {
            ["build_property.RootNamespace"] = "Bench",
            ["build_property.ContainerSdkVersion"] = "0.1.0",
        });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            modelFiles.TryGetValue(textFile.Path, out string? model)
                ? new DictionaryOptions(new Dictionary<string, string>
                {
                    ["build_metadata.AdditionalFiles.ContainerSdkModelSignature"] = "true",
                    ["build_metadata.AdditionalFiles.ContainerSdkModelFile"] = model,
                    ["build_metadata.AdditionalFiles.ContainerSdkModelContainerPath"] = "/app/" + model,
                    ["build_metadata.AdditionalFiles.ContainerSdkModelLocalPath"] = model,
                })
                : Empty;
    }

    private sealed class DictionaryOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
