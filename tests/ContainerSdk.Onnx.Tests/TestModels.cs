using OnnxModels;

namespace ContainerSdk.Onnx.Tests;

/// <summary>Writes ONNX protobuf by field number (onnx/onnx.proto), including the shapes the samples' builder cannot:
/// non-tensor types, sparse initializers, external data and huge payloads.</summary>
internal static class TestModels
{
    public static byte[] Model(Action<ProtoWriter> graph, Action<ProtoWriter>? extra = null, long ir = 8, string producer = "tests", string producerVersion = "1.2")
    {
        var w = new ProtoWriter();
        w.Varint(1, ir);
        w.String(2, producer);
        w.String(3, producerVersion);
        w.String(6, "a doc string that is skipped");
        w.Message(7, graph);
        w.Message(8, o => o.Varint(2, 17));
        w.Message(8, o => { o.String(1, "com.microsoft"); o.Varint(2, 1); });
        extra?.Invoke(w);
        return w.ToArray();
    }

    public static void Tensor(ProtoWriter w, int field, string name, int elem, params object[] dims) =>
        w.Message(field, v =>
        {
            v.String(1, name);
            v.Message(2, t => t.Message(1, tt =>
            {
                tt.Varint(1, elem);
                tt.Message(2, s =>
                {
                    foreach (var d in dims)
                    {
                        s.Message(1, dim =>
                        {
                            if (d is string p)
                            {
                                dim.String(2, p);
                            }
                            else if (d is long or int)
                            {
                                dim.Varint(1, Convert.ToInt64(d));
                            }
                        });
                    }
                });
            }));
        });

    /// <summary>A tensor input with no shape field at all: unknown rank.</summary>
    public static void RanklessTensor(ProtoWriter w, int field, string name, int elem) =>
        w.Message(field, v =>
        {
            v.String(1, name);
            v.Message(2, t => t.Message(1, tt => tt.Varint(1, elem)));
        });

    public static void Initializer(ProtoWriter w, string name, byte[] raw, string? externalLocation = null) =>
        w.Message(5, t =>
        {
            t.RepeatedVarint(1, [raw.Length / 4]);
            t.Varint(2, 1);
            t.String(8, name);
            if (externalLocation is null)
            {
                t.Bytes(9, raw);
            }
            else
            {
                t.Message(13, e => { e.String(1, "location"); e.String(2, externalLocation); });
                t.Message(13, e => { e.String(1, "offset"); e.String(2, "0"); });
                t.Varint(14, 1);
            }
        });

    public static void Node(ProtoWriter w, string op, string[] inputs, string[] outputs) =>
        w.Message(1, n =>
        {
            foreach (var i in inputs)
            {
                n.String(1, i);
            }

            foreach (var o in outputs)
            {
                n.String(2, o);
            }

            n.String(4, op);
        });

    /// <summary>The reference model of the reader tests: two inputs (one shadowed by an initializer), symbolic and
    /// unknown dimensions, a scalar, a rankless output, metadata.</summary>
    public static byte[] Reference(int payloadBytes = 16) => Model(
        g =>
        {
            Node(g, "Add", ["x", "W"], ["y"]);
            g.String(2, "reference");
            Initializer(g, "W", new byte[payloadBytes]);
            Tensor(g, 11, "x", 1, "batch", 3L, "");
            Tensor(g, 11, "W", 1, 3L);
            Tensor(g, 11, "scale", 11);
            Tensor(g, 12, "y", 1, "batch", 3L, "");
            RanklessTensor(g, 12, "any", 7);
        },
        extra: m =>
        {
            m.Message(14, e => { e.String(1, "author"); e.String(2, "tests"); });
            m.Message(14, e => { e.String(1, "multi\nline"); e.String(2, "tab\tvalue"); });
        });
}
