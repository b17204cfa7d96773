using ContainerSdk.Generators.OrtUsage;

namespace ContainerSdk.Generators.Tests.OrtUsage;

public sealed class UndisposedResultsAnalyzerTests
{
    private const string Id = "CSDK6004";

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using Microsoft.ML.OnnxRuntime;
        using Microsoft.ML.OnnxRuntime.Tensors;

        """;

    [Fact]
    public async Task Results_that_are_discarded_or_only_read_are_reported()
    {
        await new OrtAnalyzerTest<UndisposedResultsAnalyzer>(Usings + """
            class Scorer
            {
                public float Local(InferenceSession session, List<NamedOnnxValue> inputs)
                {
                    var results = {|#0:session.Run(inputs)|};
                    var scores = results.First().AsTensor<float>();
                    return scores[0] + results.Count + results[0].AsTensor<float>()[0];
                }

                public void Discarded(InferenceSession session, List<NamedOnnxValue> inputs)
                {
                    {|#1:session.Run(inputs)|};
                    _ = {|#2:session.Run(inputs, new[] { "scores" })|};
                }

                public float Chained(InferenceSession session, IReadOnlyDictionary<string, OrtValue> inputs)
                {
                    var first = {|#3:session.Run(new RunOptions(), inputs, new[] { "scores" })|}[0];
                    float sum = 0;
                    foreach (var value in {|#4:session.Run(new RunOptions(), inputs, new[] { "scores" })|})
                    {
                        sum += value.GetTensorDataAsSpan<float>()[0];
                    }

                    return sum + {|#5:session.Run(inputs.Keys.Select(k => NamedOnnxValue.CreateFromTensor(k, new DenseTensor<float>(1))).ToList())|}.First().AsTensor<float>()[0];
                }

                public void Reassigned(InferenceSession session, List<NamedOnnxValue> inputs)
                {
                    IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results;
                    results = {|#6:session.Run(inputs)|};
                    Console.WriteLine(results.Count);
                }
            }
            """)
            .Expect(Id, 0, "InferenceSession.Run")
            .Expect(Id, 1, "InferenceSession.Run")
            .Expect(Id, 2, "InferenceSession.Run")
            .Expect(Id, 3, "InferenceSession.Run")
            .Expect(Id, 4, "InferenceSession.Run")
            .Expect(Id, 5, "InferenceSession.Run")
            .Expect(Id, 6, "InferenceSession.Run")
            .RunAsync();
    }

    [Fact]
    public async Task Results_that_are_disposed_returned_stored_or_handed_on_are_not_reported()
    {
        await new OrtAnalyzerTest<UndisposedResultsAnalyzer>(Usings + """
            class Scorer
            {
                private IDisposableReadOnlyCollection<DisposableNamedOnnxValue>? _last;

                public float UsingDeclaration(InferenceSession session, List<NamedOnnxValue> inputs)
                {
                    using var results = session.Run(inputs);
                    return results.First().AsTensor<float>()[0];
                }

                public float UsingStatement(InferenceSession session, IReadOnlyDictionary<string, OrtValue> inputs)
                {
                    using (var results = session.Run(new RunOptions(), inputs, new[] { "scores" }))
                    {
                        return results[0].GetTensorDataAsSpan<float>()[0];
                    }
                }

                public void Explicit(InferenceSession session, List<NamedOnnxValue> inputs)
                {
                    var results = session.Run(inputs);
                    try
                    {
                        Console.WriteLine(results.Count);
                    }
                    finally
                    {
                        results.Dispose();
                    }

                    IDisposableReadOnlyCollection<DisposableNamedOnnxValue>? maybe = null;
                    maybe = session.Run(inputs);
                    maybe?.Dispose();
                }

                public IDisposableReadOnlyCollection<DisposableNamedOnnxValue> Returned(InferenceSession session, List<NamedOnnxValue> inputs) => session.Run(inputs);

                public IDisposableReadOnlyCollection<DisposableNamedOnnxValue> ReturnedLocal(InferenceSession session, List<NamedOnnxValue> inputs)
                {
                    var results = session.Run(inputs);
                    return results;
                }

                public void Stored(InferenceSession session, List<NamedOnnxValue> inputs)
                {
                    _last = session.Run(inputs);
                    Consume(session.Run(inputs));
                    var local = session.Run(inputs);
                    Consume(local);
                }

                public void PreallocatedOutputs(InferenceSession session, List<NamedOnnxValue> inputs, List<NamedOnnxValue> outputs)
                {
                    session.Run(inputs, outputs);
                }

                private static void Consume(IDisposable results) => results.Dispose();
            }
            """).RunAsync();
    }
}
