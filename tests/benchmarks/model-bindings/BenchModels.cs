using OnnxModels;

namespace ModelBindingsBenchmark;

/// <summary>The 20 models of the generator and build benchmarks: real-looking signatures (several inputs and
/// outputs, symbolic and fixed dimensions, a few element types, hostile names), each a runnable small graph.</summary>
public static class BenchModels
{
    public const int Count = 20;

    public static string FileName(int i) => $"model_{i:D2}.onnx";

    public static byte[] Build(int i)
    {
        var types = new[] { OnnxDataType.Float, OnnxDataType.Int64, OnnxDataType.Double, OnnxDataType.Int32, OnnxDataType.UInt8 };
        OnnxDataType type = types[i % types.Length];
        int inputs = 1 + i % 4;
        var builder = new OnnxModelBuilder($"bench_{i}");
        for (int k = 0; k < inputs; k++)
        {
            // Hostile names as real exporters write them; every input shares the symbolic batch dimension.
            string name = k switch { 0 => "input_ids", 1 => "onnx::Flatten_0", 2 => "x.1", _ => "13" };
            builder.Input(name, type, "batch", 4 + i).Node("Identity", new[] { name }, new[] { $"out_{k}" });
            builder.Output($"out_{k}", type, "batch", 4 + i);
        }

        return builder.Build();
    }

    public static void WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < Count; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, FileName(i)), Build(i));
        }
    }
}
