using System.Security.Cryptography;
using ContainerSdk.Samples.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OnnxModels;

namespace ContainerSdk.Samples.Tests;

/// <summary>The hand-written ONNX writer: the bytes the samples ship, and models ONNX Runtime accepts as written.</summary>
public sealed class ModelWriterTests
{
    private static string RepoFile(params string[] parts)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ContainerSdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine([dir ?? throw new DirectoryNotFoundException("repository root (ContainerSdk.sln) not found"), .. parts]);
    }

    [Fact]
    public void Relu_model_bytes_are_the_ones_the_samples_ship()
    {
        byte[] built = ReluModel.Build();
        built.ShouldBe(File.ReadAllBytes(RepoFile("samples", "CpuInference", "models", "model.onnx")));
        // The hash samples/README.md quotes.
        Convert.ToHexStringLower(SHA256.HashData(built)).ShouldBe("7a7eb0a41154baa8abcb4db07756df3d96cb752ea907dd330321d39ba0171316");
    }

    [Fact]
    public void Relu_model_computes_what_its_plain_CSharp_reference_computes()
    {
        float[] x = [1, 2, 3, 4, -1, 0, 1, 0, 0.5f, -2, 8, 3];
        IReadOnlyList<CanonicalTensor> y = OrtReference.Run(ReluModel.Build(), [TestTensor.Of("X", "FP32", [3, 4], x)]);
        y[0].Values.ShouldBe(ReluModel.Evaluate(x).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    [Fact]
    public void Types_model_declares_every_datatype_rank_and_kind_of_dimension_as_written()
    {
        using var session = new InferenceSession(TestModels.Types());
        session.InputMetadata["fp16"].ElementDataType.ShouldBe(TensorElementType.Float16);
        session.InputMetadata["fp16"].Dimensions.ShouldBe([2, -1, 2]);
        session.InputMetadata["fp16"].SymbolicDimensions.ShouldBe(["", "k", ""]);
        session.InputMetadata["i8"].Dimensions.ShouldBe([-1]);
        session.InputMetadata["i32"].Dimensions.ShouldBeEmpty();
        session.InputMetadata["text"].ElementDataType.ShouldBe(TensorElementType.String);
        session.InputMetadata["bf16"].ElementDataType.ShouldBe(TensorElementType.BFloat16);
        session.OutputMetadata["fp32_as_i32"].ElementDataType.ShouldBe(TensorElementType.Int32);
        session.InputNames.Count.ShouldBe(TestModels.TypesInputs.Length);
    }

    [Fact]
    public void Mlp_model_is_deterministic_and_runs()
    {
        byte[] model = MlpModel.Build(inputs: 8, hidden: 16, outputs: 4);
        model.ShouldBe(MlpModel.Build(inputs: 8, hidden: 16, outputs: 4));
        IReadOnlyList<CanonicalTensor> y = OrtReference.Run(model,
            [TestTensor.Of(MlpModel.InputName, "FP32", [2, 8], Enumerable.Range(0, 16).Select(i => (float)i / 8).ToArray())]);
        y[0].Shape.ShouldBe([2L, 4L]);
    }
}
