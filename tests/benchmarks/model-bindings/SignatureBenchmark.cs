using System.Diagnostics;
using ContainerSdk.Onnx.Reading;
using ContainerSdk.Onnx.Signatures;

namespace ModelBindingsBenchmark;

/// <summary>
/// What ReadOnnxModelSignatures pays per model: OnnxSignatureReader.Read on a ~1 GB model with inline weights and on
/// a 1 MB one written the same way. Time (Stopwatch) and managed bytes allocated on the reading thread
/// (GC.GetAllocatedBytesForCurrentThread) around Read, median of the rounds, the two models alternating.
/// </summary>
public static class SignatureBenchmark
{
    public const double TargetMs = 100, TargetBytes = 16 << 20;

    public static bool Run(string workDir, long bigBytes, int rounds)
    {
        Directory.CreateDirectory(workDir);
        string big = Path.Combine(workDir, "big-inline.onnx"), small = Path.Combine(workDir, "small-inline.onnx");
        var write = Stopwatch.StartNew();
        long bigSize = InlineWeightsModel.Write(big, bigBytes);
        long smallSize = InlineWeightsModel.Write(small, 1 << 20);
        Console.WriteLine($"wrote {big} ({bigSize:N0} bytes) and {small} ({smallSize:N0} bytes), weights inline as raw_data, in {write.Elapsed.TotalSeconds:F1} s");

        foreach (string path in new[] { big, small })
        {
            ModelSignature s = OnnxSignatureReader.Read(path); // also the JIT warm-up
            if (s.Inputs.Count != 1 || s.Inputs[0].Name != InlineWeightsModel.InputName || s.Outputs.Count != 1
                || s.Outputs[0].Name != InlineWeightsModel.OutputName || s.DefaultOpset != 13 || s.ExternalDataFiles.Count != 0)
            {
                Console.WriteLine($"FAIL: unexpected signature for {path}:\n{SignatureText.Write(s)}");
                return false;
            }
        }

        var bigRuns = new List<(double Ms, long Bytes)>();
        var smallRuns = new List<(double Ms, long Bytes)>();
        for (int i = 0; i < rounds; i++)
        {
            bigRuns.Add(Measure(big));
            smallRuns.Add(Measure(small));
        }

        double bigMs = Median(bigRuns.Select(r => r.Ms)), smallMs = Median(smallRuns.Select(r => r.Ms));
        double bigAlloc = Median(bigRuns.Select(r => (double)r.Bytes)), smallAlloc = Median(smallRuns.Select(r => (double)r.Bytes));
        Console.WriteLine($"rounds: {rounds}; 1 GB model ms [{string.Join(", ", bigRuns.Select(r => r.Ms.ToString("F2")))}], 1 MB model ms [{string.Join(", ", smallRuns.Select(r => r.Ms.ToString("F2")))}]");
        Console.WriteLine();
        Console.WriteLine("| model | file size | Read, median | allocated, median |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| inline weights, ~1 GB | {bigSize / 1048576.0:F0} MiB | {bigMs:F2} ms | {bigAlloc / 1024:F1} KiB |");
        Console.WriteLine($"| inline weights, 1 MB | {smallSize / 1048576.0:F2} MiB | {smallMs:F2} ms | {smallAlloc / 1024:F1} KiB |");
        Console.WriteLine($"| **ratio 1 GB / 1 MB** | {(double)bigSize / smallSize:F0}x | **{bigMs / smallMs:F2}** | **{bigAlloc / smallAlloc:F2}** |");
        bool ok = bigMs < TargetMs && bigAlloc < TargetBytes;
        Console.WriteLine($"target: < {TargetMs} ms and < 16 MB for the 1 GB model: {(ok ? "met" : "MISSED")}");
        return ok;
    }

    private static (double Ms, long Bytes) Measure(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        ModelSignature signature = OnnxSignatureReader.Read(path);
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(signature);
        return (ms, bytes);
    }

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
