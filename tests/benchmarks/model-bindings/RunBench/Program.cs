using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RunBench;

// The generated binding's three ways to run against the best raw ONNX Runtime code for the same job, on the same
// InferenceSession (the binding's own, one intra-op thread so the cores do not add noise), interleaved round by round:
//   Run(Input)        vs raw: the same job by hand: Tensor<float> in (an OrtValue over its buffer), session.Run(RunOptions, names,
//                     values, names), Tensor<float> out (its data copied, its shape from GetTensorTypeAndShape)
//   Run(OrtValue)     vs raw: session.Run(RunOptions, names, values, names) on an OrtValue made once
//   RunInto(in, out)  vs raw: session.Run(RunOptions, names, values, names, outputs) into OrtValues made once
// Per call: p50 and p90 of single-call times, and managed bytes allocated (GC.GetAllocatedBytesForCurrentThread).
// Usage: RunBench [ROUNDS=20] [CALLS=2000]
int rounds = args.Length > 0 ? int.Parse(args[0]) : 20, calls = args.Length > 1 ? int.Parse(args[1]) : 2000;
var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
using var relu = ReluModel.Load(Path.Combine(AppContext.BaseDirectory, ReluModel.LocalPath), options);
using var scorer = ScorerModel.Load(Path.Combine(AppContext.BaseDirectory, ScorerModel.LocalPath), options);

var cases = new List<Case>();
foreach (int batch in new[] { 1, 64 })
{
    cases.AddRange(Cases("relu", relu.Session, 4, 3, batch,
        t => relu.Run(new ReluModel.Input(t)).Y,
        v => relu.Run(v), (i, o) => relu.RunInto(i, o)));
    cases.AddRange(Cases("scorer", scorer.Session, 8, 3, batch,
        t => scorer.Run(new ScorerModel.Input(t)).Scores,
        v => scorer.Run(v), (i, o) => scorer.RunInto(i, o)));
}

foreach (Case c in cases)
{
    c.Check();
}

for (int round = 0; round < rounds; round++)
{
    // A different order each round, so no variant always runs first after another's garbage.
    foreach (Case c in cases.Skip(round % cases.Count).Concat(cases.Take(round % cases.Count)))
    {
        c.Measure(calls);
    }
}

Console.WriteLine($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {rounds} rounds x {calls} calls per variant, {Environment.ProcessorCount} cores, 1 intra-op thread");
Console.WriteLine();
Console.WriteLine("| model, batch | binding call | p50 binding / raw | p50 ratio | p90 binding / raw | bytes/call binding / raw |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
foreach (var pair in cases.Chunk(2))
{
    Case binding = pair[0], raw = pair[1];
    double ratio = binding.P(0.5) / raw.P(0.5);
    Console.WriteLine($"| {binding.Model}, {binding.Batch} | {binding.Name} | {binding.P(0.5):F2} / {raw.P(0.5):F2} us | **{ratio:F3}** | {binding.P(0.9):F2} / {raw.P(0.9):F2} us | {binding.BytesPerCall:F0} / {raw.BytesPerCall:F0} |");
}

Console.WriteLine($"target: p50 ratio <= 1.05 for every pair: {(cases.Chunk(2).All(p => p[0].P(0.5) / p[1].P(0.5) <= 1.05) ? "met" : "MISSED")}");
return 0;

static IEnumerable<Case> Cases(string model, InferenceSession session, int features, int outputs, int batch,
    Func<Tensor<float>, Tensor<float>> runTyped, Func<OrtValue, IDisposableReadOnlyCollection<OrtValue>> runValues, Action<OrtValue, OrtValue> runInto)
{
    float[] x = Enumerable.Range(0, batch * features).Select(i => (i % 7) - 3f).ToArray();
    long[] shape = [batch, features];
    var tensor = new DenseTensor<float>(x, [batch, features]);
    string[] inNames = [session.InputNames[0]], outNames = [session.OutputNames[0]];
    var input = OrtValue.CreateTensorValueFromMemory(x, shape);
    var output = OrtValue.CreateTensorValueFromMemory(new float[batch * outputs], [batch, outputs]);
    var inputs = new OrtValue[1];
    var outs = new[] { output };
    var runOptions = new RunOptions();
    float[] Expected()
    {
        using var v = OrtValue.CreateTensorValueFromMemory(x, shape);
        inputs[0] = v;
        using var r = session.Run(runOptions, inNames, inputs, outNames);
        return r[0].GetTensorDataAsSpan<float>().ToArray();
    }

    yield return new Case(model, batch, "Run(Input)", () => runTyped(tensor).Length, () => ((DenseTensor<float>)runTyped(tensor)).Buffer.ToArray(), Expected);
    // The same job by hand: a Tensor<float> in, a Tensor<float> with its shape out.
    Tensor<float> RawTyped(DenseTensor<float> t)
    {
        ReadOnlySpan<int> dims = t.Dimensions;
        var inShape = new long[dims.Length];
        for (int i = 0; i < inShape.Length; i++)
        {
            inShape[i] = dims[i];
        }

        using var v = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, t.Buffer, inShape);
        inputs[0] = v;
        using var r = session.Run(runOptions, inNames, inputs, outNames);
        long[] outShape = r[0].GetTensorTypeAndShape().Shape;
        var outDims = new int[outShape.Length];
        for (int i = 0; i < outDims.Length; i++)
        {
            outDims[i] = checked((int)outShape[i]);
        }

        return new DenseTensor<float>(r[0].GetTensorDataAsSpan<float>().ToArray(), outDims);
    }

    yield return new Case(model, batch, "raw", () => RawTyped(tensor).Length, () => ((DenseTensor<float>)RawTyped(tensor)).Buffer.ToArray(), Expected);
    yield return new Case(model, batch, "Run(OrtValue)", () =>
    {
        using var r = runValues(input);
        return r.Count;
    }, () =>
    {
        using var r = runValues(input);
        return r[0].GetTensorDataAsSpan<float>().ToArray();
    }, Expected);
    yield return new Case(model, batch, "raw", () =>
    {
        inputs[0] = input;
        using var r = session.Run(runOptions, inNames, inputs, outNames);
        return r.Count;
    }, Expected, Expected);
    yield return new Case(model, batch, "RunInto", () =>
    {
        runInto(input, output);
        return 1;
    }, () =>
    {
        output.GetTensorMutableDataAsSpan<float>().Clear();
        runInto(input, output);
        return output.GetTensorDataAsSpan<float>().ToArray();
    }, Expected);
    yield return new Case(model, batch, "raw", () =>
    {
        inputs[0] = input;
        session.Run(runOptions, inNames, inputs, outNames, outs);
        return 1;
    }, Expected, Expected);
}

internal sealed class Case(string model, int batch, string name, Func<long> call, Func<float[]> result, Func<float[]> expected)
{
    private readonly List<double> _us = new();
    private double _bytesPerCall = double.MaxValue;

    public string Model => model;
    public int Batch => batch;
    public string Name => name;
    /// <summary>The steady state: the fewest bytes per call over the rounds (a round can also pay for one-off work,
    /// such as a tier-1 JIT's first call).</summary>
    public double BytesPerCall => _bytesPerCall;

    /// <summary>The variant computes what ONNX Runtime computes (and is JIT-compiled before it is timed).</summary>
    public void Check()
    {
        float[] got = result(), want = expected();
        if (!got.AsSpan().SequenceEqual(want))
        {
            throw new InvalidOperationException($"{model} batch {batch} {name}: [{string.Join(", ", got)}] != [{string.Join(", ", want)}]");
        }

        for (int i = 0; i < 2000; i++)
        {
            call();
        }
    }

    public void Measure(int calls)
    {
        long sink = 0;
        var ticks = new long[calls]; // allocated before the count starts
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            sink += call();
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }

        _bytesPerCall = Math.Min(_bytesPerCall, (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls);
        _us.AddRange(ticks.Select(t => t * 1e6 / Stopwatch.Frequency));
        GC.KeepAlive(sink);
    }

    public double P(double q)
    {
        _us.Sort();
        return _us[(int)(q * (_us.Count - 1))];
    }
}
