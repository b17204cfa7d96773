using System;
using System.Collections.Generic;

namespace OnnxModels;

/// <summary>
/// A small convolutional classifier for the benchmark: <c>image</c> float[N, 3, 32, 32] → Conv 3x3 (16 channels,
/// pad 1) → Relu → Conv 3x3 stride 2 (32 channels) → Relu → GlobalAveragePool → Flatten → MatMul + Add →
/// <c>logits</c> float[N, 10]. About 7.5 M multiply-adds per image and a 12 KB input per image: the shape of a vision
/// model's request, where the tensor, not the arithmetic, dominates what the protocol carries.
/// </summary>
public static class ConvModel
{
    public const string InputName = "image";
    public const string OutputName = "logits";

    public static byte[] Build(uint seed = 7)
    {
        var random = new Random((int)seed);
        float[] Weights(int count, int fanIn)
        {
            var values = new float[count];
            float scale = 1 / MathF.Sqrt(fanIn);
            for (int i = 0; i < count; i++)
            {
                values[i] = ((float)random.NextDouble() * 2 - 1) * scale;
            }

            return values;
        }

        var conv1 = new List<KeyValuePair<string, object>>
        {
            new("kernel_shape", new long[] { 3, 3 }), new("pads", new long[] { 1, 1, 1, 1 }), new("strides", new long[] { 1, 1 }),
        };
        var conv2 = new List<KeyValuePair<string, object>>
        {
            new("kernel_shape", new long[] { 3, 3 }), new("pads", new long[] { 1, 1, 1, 1 }), new("strides", new long[] { 2, 2 }),
        };
        return new OnnxModelBuilder("conv")
            .Node("Conv", new[] { InputName, "W1", "B1" }, new[] { "c1" }, attributes: conv1)
            .Node("Relu", new[] { "c1" }, new[] { "r1" })
            .Node("Conv", new[] { "r1", "W2", "B2" }, new[] { "c2" }, attributes: conv2)
            .Node("Relu", new[] { "c2" }, new[] { "r2" })
            .Node("GlobalAveragePool", new[] { "r2" }, new[] { "p" })
            .Node("Flatten", new[] { "p" }, new[] { "f" })
            .Node("MatMul", new[] { "f", "W3" }, new[] { "m" })
            .Node("Add", new[] { "m", "B3" }, new[] { OutputName })
            .Initializer("W1", new long[] { 16, 3, 3, 3 }, Weights(16 * 3 * 9, 27))
            .Initializer("B1", new long[] { 16 }, Weights(16, 16))
            .Initializer("W2", new long[] { 32, 16, 3, 3 }, Weights(32 * 16 * 9, 144))
            .Initializer("B2", new long[] { 32 }, Weights(32, 32))
            .Initializer("W3", new long[] { 32, 10 }, Weights(320, 32))
            .Initializer("B3", new long[] { 10 }, Weights(10, 10))
            .Input(InputName, OnnxDataType.Float, "batch", 3, 32, 32)
            .Output(OutputName, OnnxDataType.Float, "batch", 10)
            .Build();
    }
}
