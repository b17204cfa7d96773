namespace ModelBindingsBenchmark;

/// <summary>
/// Streams an ONNX model of any size to disk with its weights INLINE (TensorProto.raw_data inside the .onnx, not
/// external data), in the field order protobuf serializers use: the initializers (GraphProto field 5) come before the
/// graph inputs and outputs (11, 12), so a reader can only reach the signature by getting past every payload.
/// The graph is Y = Identity(X) with X, Y float[batch, 4]; the initializers are unused float[n] constants, which
/// ONNX allows. Nothing is buffered beyond one 1 MiB chunk of payload.
/// </summary>
public static class InlineWeightsModel
{
    public const string InputName = "X", OutputName = "Y";

    /// <summary>Writes about <paramref name="totalBytes"/> of weights in initializers of at most 256 MiB each.</summary>
    public static long Write(string path, long totalBytes)
    {
        const long maxTensor = 256L << 20;
        var tensors = new List<(string Name, long Bytes)>();
        for (long left = totalBytes, i = 0; left > 0; left -= maxTensor, i++)
        {
            tensors.Add(($"weights_{i}", Math.Min(left, maxTensor) / 4 * 4));
        }

        byte[] node = Message(w =>
        {
            w.Str(1, InputName);
            w.Str(2, OutputName);
            w.Str(3, "identity");
            w.Str(4, "Identity");
        });
        byte[] input = ValueInfo(InputName), output = ValueInfo(OutputName);
        // Each TensorProto is written as its header (dims, data_type, name, raw_data's tag and length) then the payload.
        var headers = tensors.Select(t => Message(w =>
        {
            w.Varint(1, t.Bytes / 4); // dims
            w.Varint(2, 1); // data_type FLOAT
            w.Str(8, t.Name);
            w.Tag(9, 2);
            w.Raw(t.Bytes);
        })).ToList();
        long graphLength = Field(1, node.Length) + Field(2, "big".Length)
            + tensors.Select((t, i) => Field(5, headers[i].Length + t.Bytes)).Sum()
            + Field(11, input.Length) + Field(12, output.Length);

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var model = new Proto(file);
        model.Varint(1, 8); // ir_version
        model.Str(2, "ContainerSdk.benchmark");
        model.Str(3, "1");
        model.Tag(7, 2);
        model.Raw(graphLength);
        model.Bytes(1, node);
        model.Str(2, "big");
        var chunk = new byte[1 << 20];
        new Random(9).NextBytes(chunk);
        for (int i = 0; i < tensors.Count; i++)
        {
            model.Tag(5, 2);
            model.Raw(headers[i].Length + tensors[i].Bytes);
            file.Write(headers[i]);
            for (long left = tensors[i].Bytes; left > 0; left -= chunk.Length)
            {
                file.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            }
        }

        model.Bytes(11, input);
        model.Bytes(12, output);
        model.Bytes(8, Message(w => w.Varint(2, 13))); // opset_import { version: 13 }
        file.Flush();
        return file.Length;
    }

    private static byte[] ValueInfo(string name) => Message(v =>
    {
        v.Str(1, name);
        v.Bytes(2, Message(type => type.Bytes(1, Message(tensor =>
        {
            tensor.Varint(1, 1); // elem_type FLOAT
            tensor.Bytes(2, Message(shape =>
            {
                shape.Bytes(1, Message(d => d.Str(2, "batch")));
                shape.Bytes(1, Message(d => d.Varint(1, 4)));
            }));
        }))));
    });

    private static byte[] Message(Action<Proto> body)
    {
        var buffer = new MemoryStream();
        body(new Proto(buffer));
        return buffer.ToArray();
    }

    /// <summary>The encoded size of a length-delimited field with a payload of <paramref name="length"/> bytes.</summary>
    private static long Field(int field, long length) => VarintSize((uint)(field << 3 | 2)) + VarintSize((ulong)length) + length;

    private static int VarintSize(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    private sealed class Proto(Stream stream)
    {
        public void Tag(int field, int wire) => Raw((uint)(field << 3 | wire));

        public void Raw(long value)
        {
            ulong v = (ulong)value;
            while (v >= 0x80)
            {
                stream.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }

            stream.WriteByte((byte)v);
        }

        public void Varint(int field, long value)
        {
            Tag(field, 0);
            Raw(value);
        }

        public void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw(value.Length);
            stream.Write(value);
        }

        public void Str(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));
    }
}
