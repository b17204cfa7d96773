using System;

namespace OnnxModels;

/// <summary>
/// The samples' model, written without any ONNX tooling: <c>Y = Relu(X·W + B)</c> with X float[N,4] (N is a dynamic
/// batch dimension), W float[4,3] and B float[3] stored as initializers, and Y float[N,3]. Three nodes:
/// MatMul → Add → Relu, all in the default ONNX domain at opset 13.
/// </summary>
public static class ReluModel
{
    public const string InputName = "X";
    public const string OutputName = "Y";
    public const int InputFeatures = 4;
    public const int OutputFeatures = 3;

    /// <summary>W, row-major [4,3]. Powers of two and small integers, so X·W + B is exact in float32 for small
    /// integer inputs and a client can check results with ==. Mixed signs so Relu visibly clamps some outputs.</summary>
    public static readonly float[] W =
    {
        0.5f, -1.0f, 0.25f,
        1.0f, 0.5f, -0.5f,
        -0.5f, 2.0f, 1.0f,
        0.25f, 0.0f, -1.0f,
    };

    /// <summary>B, [3].</summary>
    public static readonly float[] B = { 0.5f, -1.0f, 0.25f };

    public const string Producer = OnnxModelBuilder.Producer;

    /// <summary>The serialized ModelProto. The same bytes on every call, platform and run (IR 8, opset 13).</summary>
    public static byte[] Build() => new OnnxModelBuilder("relu")
        // Nodes must be topologically sorted. Intermediate values need no value_info: ORT infers their types.
        .Node("MatMul", new[] { InputName, "W" }, new[] { "XW" }, name: "matmul")
        .Node("Add", new[] { "XW", "B" }, new[] { "XW_plus_B" }, name: "add")
        .Node("Relu", new[] { "XW_plus_B" }, new[] { OutputName }, name: "relu")
        .Initializer("W", new long[] { InputFeatures, OutputFeatures }, W)
        .Initializer("B", new long[] { OutputFeatures }, B)
        // N is symbolic, so any batch size is accepted.
        .Input(InputName, OnnxDataType.Float, "N", InputFeatures)
        .Output(OutputName, OnnxDataType.Float, "N", OutputFeatures)
        .Build();

    /// <summary>Reference implementation in plain C#: Relu(x·W + B) for a row-major [n,4] input.</summary>
    public static float[] Evaluate(ReadOnlySpan<float> x)
    {
        if (x.Length % InputFeatures != 0)
        {
            throw new ArgumentException($"Input length {x.Length} is not a multiple of {InputFeatures}.", nameof(x));
        }

        int rows = x.Length / InputFeatures;
        var y = new float[rows * OutputFeatures];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < OutputFeatures; c++)
            {
                float sum = 0f;
                for (int k = 0; k < InputFeatures; k++)
                {
                    sum += x[r * InputFeatures + k] * W[k * OutputFeatures + c];
                }

                y[r * OutputFeatures + c] = Math.Max(0f, sum + B[c]);
            }
        }

        return y;
    }
}
