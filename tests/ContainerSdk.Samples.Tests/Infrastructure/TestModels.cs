using OnnxModels;

namespace ContainerSdk.Samples.Tests.Infrastructure;

/// <summary>
/// The models the tests serve, written with samples/OnnxModels' builder: the sample's own Relu model plus models the
/// service has never seen, with other input names, ranks (scalar to 3), fixed, symbolic and unknown dimensions,
/// two inputs and two outputs, and every datatype the protocol maps.
/// </summary>
public static class TestModels
{
    /// <summary>Identity for each datatype (one input and one output per type, "&lt;name&gt;_out"), plus a Cast
    /// FP32 -> INT32 so one output's type differs from every input's.</summary>
    public static readonly (string Name, OnnxDataType Type, Dim[] Shape)[] TypesInputs =
    [
        ("fp32", OnnxDataType.Float, ["n"]),
        ("fp64", OnnxDataType.Double, ["n64"]),
        ("fp16", OnnxDataType.Float16, [2, "k", 2]),   // rank 3, fixed and symbolic dims mixed
        ("bf16", OnnxDataType.BFloat16, ["b"]),
        ("i8", OnnxDataType.Int8, [Dim.Unknown]),      // a dimension with neither value nor name
        ("i16", OnnxDataType.Int16, ["n16"]),
        ("i32", OnnxDataType.Int32, []),               // a scalar
        ("i64", OnnxDataType.Int64, [2]),
        ("u8", OnnxDataType.UInt8, ["n8"]),
        ("u16", OnnxDataType.UInt16, ["m16"]),
        ("u32", OnnxDataType.UInt32, ["m32"]),
        ("u64", OnnxDataType.UInt64, ["m64"]),
        ("flag", OnnxDataType.Bool, ["f"]),
        ("text", OnnxDataType.String, ["t"]),
    ];

    public static byte[] Types()
    {
        var builder = new OnnxModelBuilder("types");
        foreach ((string name, OnnxDataType type, Dim[] shape) in TypesInputs)
        {
            builder.Node("Identity", [name], [name + "_out"]);
        }

        builder.Node("Cast", ["fp32"], ["fp32_as_i32"], attributes: [new("to", (long)OnnxDataType.Int32)]);
        foreach ((string name, OnnxDataType type, Dim[] shape) in TypesInputs)
        {
            builder.Input(name, type, shape);
        }

        foreach ((string name, OnnxDataType type, Dim[] shape) in TypesInputs)
        {
            builder.Output(name + "_out", type, shape);
        }

        return builder.Output("fp32_as_i32", OnnxDataType.Int32, "n").Build();
    }

    /// <summary>Two INT64 inputs with two dynamic dims each, two outputs: sum = A + B, product = A * B (with ONNX
    /// broadcasting, so B may also be [1, M]).</summary>
    public static byte[] Adder() => new OnnxModelBuilder("adder")
        .Node("Add", ["A", "B"], ["sum"])
        .Node("Mul", ["A", "B"], ["product"])
        .Input("A", OnnxDataType.Int64, "N", "M")
        .Input("B", OnnxDataType.Int64, "N", "M")
        .Output("sum", OnnxDataType.Int64, "N", "M")
        .Output("product", OnnxDataType.Int64, "N", "M")
        .Build();

    /// <summary>BOOL Not over [batch, 3], with names that are not identifiers.</summary>
    public const string LogicInput = "mask.in:0";
    public const string LogicOutput = "mask/out";

    public static byte[] Logic() => new OnnxModelBuilder("logic")
        .Node("Not", [LogicInput], [LogicOutput])
        .Input(LogicInput, OnnxDataType.Bool, "batch", 3)
        .Output(LogicOutput, OnnxDataType.Bool, "batch", 3)
        .Build();

    /// <summary>Slow on purpose, for the graceful-shutdown test: a [n, n] matrix of zeros (ConstantOfShape of the
    /// INT64 input "size"), multiplied by itself <paramref name="rounds"/> times, summed to [1, 1]. The client picks
    /// n, so it picks the run time.</summary>
    public static byte[] Slow(int rounds = 12)
    {
        var builder = new OnnxModelBuilder("slow").Node("ConstantOfShape", ["size"], ["m0"]);
        for (int i = 0; i < rounds; i++)
        {
            builder.Node("MatMul", [$"m{i}", $"m{i}"], [$"m{i + 1}"]);
        }

        return builder
            .Node("ReduceSum", [$"m{rounds}"], ["total"])
            .Input("size", OnnxDataType.Int64, 2)
            .Output("total", OnnxDataType.Float, 1, 1)
            .Build();
    }

    /// <summary>Writes <paramref name="bytes"/> to a fresh file under the temp folder and returns its path.</summary>
    public static string Write(string name, byte[] bytes)
    {
        string dir = Path.Combine(Path.GetTempPath(), "containersdk-samples-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name + ".onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
