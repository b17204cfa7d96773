using ContainerSdk.Onnx.Reading;
using ContainerSdk.Onnx.Signatures;

namespace ContainerSdk.Onnx.Tests;

public sealed class SignatureTextTests
{
    [Fact]
    public void Round_trips_every_field_including_hostile_names()
    {
        var sig = new ModelSignature(
            9, "py\ttorch", "2.1\n", "ai.domain", 3,
            new EquatableArray<OpsetImport>([new OpsetImport("", 17), new OpsetImport("com.microsoft", 1)]),
            new EquatableArray<MetadataEntry>([new MetadataEntry("k\\ey", "line1\nline2\r\u0001")]),
            new EquatableArray<ValueSignature>([
                new ValueSignature("onnx::Flatten_0", ValueKind.Tensor, TensorElementType.Float, new EquatableArray<Dimension>([Dimension.Symbolic("batch size"), Dimension.Fixed(3), Dimension.Unknown, Dimension.Symbolic("?q\t")]), "tensor(float)"),
                new ValueSignature("{\"a\": 1}", ValueKind.Tensor, TensorElementType.BFloat16, new EquatableArray<Dimension>([]), "tensor(bfloat16)"),
                new ValueSignature("名前", ValueKind.Tensor, TensorElementType.String, null, "tensor(string)"),
                new ValueSignature("seq", ValueKind.Sequence, TensorElementType.Undefined, null, "seq(tensor(float))"),
            ]),
            new EquatableArray<ValueSignature>([new ValueSignature("13", ValueKind.Tensor, TensorElementType.Float4E2M1, new EquatableArray<Dimension>([Dimension.Fixed(0)]), "tensor(float4e2m1)")]),
            new EquatableArray<string>(["w.bin", "sub dir/x.data"]));

        var text = SignatureText.Write(sig);
        SignatureText.TryParse(text, out var parsed, out var error).ShouldBeTrue(error);
        parsed.ShouldBe(sig);
        text.Split('\n').ShouldAllBe(line => !line.Contains('\r'));
        SignatureText.Write(parsed!).ShouldBe(text, "the same signature gives the same bytes");
    }

    [Fact]
    public void The_reader_output_round_trips()
    {
        var sig = OnnxSignatureReader.Read(new MemoryStream(TestModels.Reference()));
        SignatureText.TryParse(SignatureText.Write(sig), out var parsed, out _).ShouldBeTrue();
        parsed.ShouldBe(sig);
    }

    [Theory]
    [InlineData("")]
    [InlineData("containersdk-onnx-signature\t2\n")]
    [InlineData("containersdk-onnx-signature\t1\ninput\tx\ttensor\tfloat\t2\t3\n")]
    [InlineData("containersdk-onnx-signature\t1\ninput\tx\ttensor\tfloat\tnope\n")]
    [InlineData("containersdk-onnx-signature\t1\nir_version\tx\n")]
    public void Malformed_or_other_versions_are_refused_with_a_reason(string text)
    {
        SignatureText.TryParse(text, out var sig, out var error).ShouldBeFalse();
        sig.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }
}
