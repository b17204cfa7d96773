using ContainerSdk.Onnx.Reading;
using ContainerSdk.Onnx.Signatures;
using OnnxModels;

namespace ContainerSdk.Onnx.Tests;

public sealed class OnnxSignatureReaderTests
{
    private static ModelSignature Read(byte[] bytes) => OnnxSignatureReader.Read(new MemoryStream(bytes));

    [Fact]
    public void Reads_producer_opsets_metadata_inputs_and_outputs_in_model_order()
    {
        var sig = Read(TestModels.Reference());

        sig.IrVersion.ShouldBe(8);
        sig.ProducerName.ShouldBe("tests");
        sig.ProducerVersion.ShouldBe("1.2");
        sig.Opsets.ShouldBe([new OpsetImport("", 17), new OpsetImport("com.microsoft", 1)]);
        sig.DefaultOpset.ShouldBe(17);
        sig.Metadata.ShouldBe([new MetadataEntry("author", "tests"), new MetadataEntry("multi\nline", "tab\tvalue")]);

        // W is an initializer, so it is an optional input, not a required one.
        sig.Inputs.Select(i => i.Name).ShouldBe(["x", "scale"]);
        sig.Inputs[0].ElementType.ShouldBe(TensorElementType.Float);
        sig.Inputs[0].Shape!.Value.ShouldBe([Dimension.Symbolic("batch"), Dimension.Fixed(3), Dimension.Unknown]);
        sig.Inputs[1].ElementType.ShouldBe(TensorElementType.Double);
        sig.Inputs[1].Shape!.Value.Count.ShouldBe(0, "a shape with no dims is a scalar");
        sig.Outputs.Select(o => o.Name).ShouldBe(["y", "any"]);
        sig.Outputs[1].Shape.ShouldBeNull("no shape field means unknown rank");
        sig.Outputs[1].ElementType.ShouldBe(TensorElementType.Int64);
        sig.ExternalDataFiles.Count.ShouldBe(0);
    }

    [Fact]
    public void Non_tensor_types_are_marked_with_their_onnx_notation()
    {
        var bytes = TestModels.Model(g =>
        {
            // seq(tensor(float)), map(int64, tensor(float)), optional(seq(tensor(int32))), sparse_tensor(float)
            g.Message(11, v => { v.String(1, "seq"); v.Message(2, t => t.Message(4, s => s.Message(1, e => e.Message(1, tt => tt.Varint(1, 1))))); });
            g.Message(11, v => { v.String(1, "map"); v.Message(2, t => t.Message(5, m => { m.Varint(1, 7); m.Message(2, e => e.Message(1, tt => tt.Varint(1, 1))); })); });
            g.Message(11, v => { v.String(1, "opt"); v.Message(2, t => t.Message(9, o => o.Message(1, e => e.Message(4, s => s.Message(1, i => i.Message(1, tt => tt.Varint(1, 6))))))); });
            g.Message(12, v => { v.String(1, "sparse"); v.Message(2, t => t.Message(8, s => { s.Varint(1, 1); s.Message(2, _ => { }); })); });
        });

        var sig = Read(bytes);

        sig.Inputs.Select(i => (i.Name, i.Kind, i.TypeText)).ShouldBe([
            ("seq", ValueKind.Sequence, "seq(tensor(float))"),
            ("map", ValueKind.Map, "map(int64,tensor(float))"),
            ("opt", ValueKind.Optional, "optional(seq(tensor(int32)))"),
        ]);
        sig.Outputs[0].Kind.ShouldBe(ValueKind.SparseTensor);
        sig.Outputs[0].TypeText.ShouldBe("sparse_tensor(float)");
    }

    [Fact]
    public void External_data_locations_are_listed_once_each_in_order()
    {
        var bytes = TestModels.Model(g =>
        {
            TestModels.Initializer(g, "a", new byte[8], "weights.bin");
            TestModels.Initializer(g, "b", new byte[8], "sub\\more.bin");
            TestModels.Initializer(g, "c", new byte[8], "weights.bin");
            TestModels.Tensor(g, 11, "x", 1, 2L);
            TestModels.Tensor(g, 12, "y", 1, 2L);
        });

        Read(bytes).ExternalDataFiles.ShouldBe(["weights.bin", "sub/more.bin"]);
    }

    [Fact]
    public void Sparse_initializers_are_not_required_inputs()
    {
        var bytes = TestModels.Model(g =>
        {
            g.Message(15, s => { s.Message(1, t => t.String(8, "sp")); s.Message(2, t => t.String(8, "sp_idx")); });
            TestModels.Tensor(g, 11, "sp", 1, 4L);
            TestModels.Tensor(g, 11, "x", 1, 4L);
            TestModels.Tensor(g, 12, "y", 1, 4L);
        });

        Read(bytes).Inputs.Select(i => i.Name).ShouldBe(["x"]);
    }

    [Fact]
    public void Payloads_are_skipped_not_read_so_a_large_model_costs_what_a_small_one_does()
    {
        var path = Path.Combine(Path.GetTempPath(), "containersdk-onnx-" + Guid.NewGuid().ToString("N") + ".onnx");
        try
        {
            File.WriteAllBytes(path, TestModels.Reference(payloadBytes: 64 * 1024 * 1024));
            OnnxSignatureReader.Read(path); // warm up (JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            var sig = OnnxSignatureReader.Read(path);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            sig.Inputs.Select(i => i.Name).ShouldBe(["x", "scale"]);
            allocated.ShouldBeLessThan(256 * 1024, $"read a 64 MB model with {allocated} bytes allocated");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_read_forward()
    {
        var bytes = TestModels.Reference(payloadBytes: 300_000);
        using var stream = new ForwardOnlyStream(bytes);
        OnnxSignatureReader.Read(stream).ShouldBe(Read(bytes));
    }

    [Fact]
    public void Every_truncation_is_a_format_error_or_a_smaller_valid_message_never_a_crash()
    {
        var bytes = TestModels.Reference(payloadBytes: 40);
        int errors = 0;
        for (int length = 0; length < bytes.Length; length++)
        {
            try
            {
                Read(bytes[..length]);
            }
            catch (OnnxFormatException)
            {
                errors++;
            }
        }

        // Only cuts at a field boundary after the graph can still parse; everything before the graph cannot.
        errors.ShouldBeGreaterThan(bytes.Length * 3 / 4);
        Should.Throw<OnnxFormatException>(() => Read(bytes[..(bytes.Length / 2)])).Message.ShouldContain("truncated");
    }

    [Fact]
    public void Corrupt_bytes_give_format_errors_never_other_exceptions()
    {
        var original = TestModels.Reference(payloadBytes: 40);
        var random = new Random(20261202);
        for (int round = 0; round < 3000; round++)
        {
            var bytes = (byte[])original.Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                Read(bytes);
            }
            catch (OnnxFormatException)
            {
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")]
    [InlineData("\u0089PNG\r\n\u001a\n")]
    [InlineData("{\"not\": \"onnx\"}")]
    public void Files_that_are_not_onnx_are_named_as_such(string text)
    {
        var e = Should.Throw<OnnxFormatException>(() => Read(System.Text.Encoding.Latin1.GetBytes(text)));
        e.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_wrong_wire_type_for_a_known_field_is_a_format_error()
    {
        var w = new ProtoWriter();
        w.String(1, "eight"); // ir_version must be a varint
        Should.Throw<OnnxFormatException>(() => Read(w.ToArray())).Message.ShouldContain("ModelProto.ir_version");
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
