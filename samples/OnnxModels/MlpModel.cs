using System;

namespace OnnxModels;

/// <summary>
/// A two-layer perceptron, <c>Y = Relu(X·W1 + B1)·W2 + B2</c> with X float[N, inputs] and Y float[N, outputs], and
/// deterministic pseudo-random weights: enough arithmetic per row (inputs·hidden + hidden·outputs multiply-adds) that
/// a benchmark compares the HTTP protocol's cost with real model work, not with a 12-weight toy.
/// </summary>
public static class MlpModel
{
    public const string InputName = "features";
    public const string OutputName = "scores";

    public static byte[] Build(int inputs = 256, int hidden = 512, int outputs = 16, uint seed = 1)
    {
        var random = new XorShift(seed);
        // Scaled by 1/sqrt(fan-in) so activations stay near unit size for unit-size inputs.
        float[] w1 = random.Floats(inputs * hidden, 1 / MathF.Sqrt(inputs));
        float[] b1 = random.Floats(hidden, 0.1f);
        float[] w2 = random.Floats(hidden * outputs, 1 / MathF.Sqrt(hidden));
        float[] b2 = random.Floats(outputs, 0.1f);
        return new OnnxModelBuilder("mlp")
            .Node("MatMul", new[] { InputName, "W1" }, new[] { "h0" })
            .Node("Add", new[] { "h0", "B1" }, new[] { "h1" })
            .Node("Relu", new[] { "h1" }, new[] { "h2" })
            .Node("MatMul", new[] { "h2", "W2" }, new[] { "h3" })
            .Node("Add", new[] { "h3", "B2" }, new[] { OutputName })
            .Initializer("W1", new long[] { inputs, hidden }, w1)
            .Initializer("B1", new long[] { hidden }, b1)
            .Initializer("W2", new long[] { hidden, outputs }, w2)
            .Initializer("B2", new long[] { outputs }, b2)
            .Input(InputName, OnnxDataType.Float, "batch", inputs)
            .Output(OutputName, OnnxDataType.Float, "batch", outputs)
            .Build();
    }

    /// <summary>xorshift32: a fixed algorithm, so the weights (and the model's bytes) never change with the runtime,
    /// unlike an unspecified library generator.</summary>
    private sealed class XorShift(uint seed)
    {
        private uint _state = seed == 0 ? 2463534242u : seed;

        public float[] Floats(int count, float scale)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
                values[i] = ((_state >> 8) / (float)(1 << 24) * 2 - 1) * scale; // uniform in [-scale, scale)
            }

            return values;
        }
    }
}
