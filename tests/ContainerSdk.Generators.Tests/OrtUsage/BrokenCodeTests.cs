using ContainerSdk.Generators.OrtUsage;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ContainerSdk.Generators.Tests.OrtUsage;

/// <summary>
/// Code being typed in the IDE does not compile. The analyzers must stay quiet about what they cannot tell and never
/// throw: the harness turns an analyzer exception into an AD0001 diagnostic, and these tests expect no diagnostic.
/// </summary>
public sealed class BrokenCodeTests
{
    private const string Code = """
        using System.Collections.Generic;
        using Microsoft.ML.OnnxRuntime;

        class Broken
        {
            private InferenceSession _s = new InferenceSession(;
            private InferenceSession _t = new(Missing.Path);

            void A(OrtValue v)
            {
                var s = new InferenceSession();
                s.Run(;
                using var r = s.Run(new RunOptions(), new Dictionary<string, OrtValue> { [] = v }, new[] { Missing });
                NamedOnnxValue.CreateFromTensor();
                var x = NamedOnnxValue.CreateFromTensor("features");
                _t.Run(new[] { x }, new[] { undefined, "scores" });
                for (;;) { new InferenceSession(
                var options = new SessionOptions();
                options.AppendExecutionProvider_CUDA(
                using var b = _s.CreateIoBinding();
                b.BindInput(, v);
                var m = _s.InputMetadata[];
            }

            void B() => new Controller().Run(
        }
        """;

    private static async Task RunAsync<TAnalyzer>()
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new OrtAnalyzerTest<TAnalyzer>(Code).WithModel("models/mlp.onnx", ["features"], ["scores"]);
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        test.TestBehaviors |= TestBehaviors.SkipGeneratedCodeCheck | TestBehaviors.SkipSuppressionCheck;
        await test.RunAsync();
    }

    // What is still clear in the broken code is still reported.
    [Fact]
    public Task Model_names() => RunAsync<ModelNamesAnalyzer>();

    [Fact]
    public Task Session_per_request() => RunAsync<SessionPerRequestAnalyzer>();

    [Fact]
    public Task Cuda_fallback() => RunAsync<CudaFallbackAnalyzer>();

    [Fact]
    public Task Undisposed_results() => RunAsync<UndisposedResultsAnalyzer>();
}
