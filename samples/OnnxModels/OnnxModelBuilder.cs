using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace OnnxModels;

/// <summary>ONNX TensorProto.DataType values (onnx.proto). The numbers are the wire values.</summary>
public enum OnnxDataType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
}

/// <summary>One dimension of a graph input or output: a fixed size, a named symbolic size ("N", shared by every
/// tensor that uses the same name), or unknown (<see cref="Unknown"/>: neither set, ORT reports it as -1).</summary>
public readonly record struct Dim(long? Value, string? Param)
{
    public static readonly Dim Unknown = new(null, null);

    public static implicit operator Dim(long value) => new(value, null);

    public static implicit operator Dim(string param) => new(null, param);
}

/// <summary>
/// Writes small ONNX models (one graph, default domain, tensor-typed inputs and outputs) with <see cref="ProtoWriter"/>
/// and no ONNX tooling. Calls are recorded and written in onnx.proto field-number order on <see cref="Build"/>, as
/// protobuf's own serializers do, so the bytes are a pure function of the calls.
/// </summary>
/// <example><code>
/// byte[] onnx = new OnnxModelBuilder("adder")
///     .Input("A", OnnxDataType.Int64, "N", "M").Input("B", OnnxDataType.Int64, "N", "M")
///     .Node("Add", ["A", "B"], ["C"])
///     .Output("C", OnnxDataType.Int64, "N", "M")
///     .Build();
/// </code></example>
public sealed class OnnxModelBuilder
{
    // onnx.proto field numbers, grouped by message. Only the fields this writer uses.
    private static class Model { public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Graph = 7, OpsetImport = 8; }
    private static class OpsetId { public const int Version = 2; } // domain (1) omitted: absent means the ONNX domain.
    private static class Graph { public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12; }
    private static class NodeProto { public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5; }
    private static class Attribute { public const int Name = 1, F = 2, I = 3, S = 4, Ints = 8, Type = 20; }
    private static class AttributeType { public const int Float = 1, Int = 2, String = 3, Ints = 7; }
    private static class Tensor { public const int Dims = 1, DataType = 2, FloatData = 4, Name = 8, RawData = 9; }
    private static class ValueInfo { public const int Name = 1, Type = 2; }
    private static class TypeProto { public const int TensorType = 1; }
    private static class TensorType { public const int ElemType = 1, Shape = 2; }
    private static class Shape { public const int Dim = 1; }
    private static class Dimension { public const int DimValue = 1, DimParam = 2; }

    public const string Producer = "ContainerSdk.samples";

    private readonly string _graphName;
    private readonly long _irVersion;
    private readonly long _opset;
    private readonly List<Action<ProtoWriter>> _nodes = new();
    private readonly List<Action<ProtoWriter>> _initializers = new();
    private readonly List<Action<ProtoWriter>> _inputs = new();
    private readonly List<Action<ProtoWriter>> _outputs = new();

    /// <param name="irVersion">8 (ONNX 1.10+) lets initializers be absent from graph inputs, which keeps them
    /// constants rather than overridable inputs; ORT 1.31 reads IR up to 11.</param>
    /// <param name="opset">ONNX operator set of the default domain.</param>
    public OnnxModelBuilder(string graphName, long opset = 13, long irVersion = 8)
    {
        _graphName = graphName;
        _opset = opset;
        _irVersion = irVersion;
    }

    public OnnxModelBuilder Input(string name, OnnxDataType type, params Dim[] shape)
    {
        _inputs.Add(graph => WriteValueInfo(graph, Graph.Input, name, type, shape));
        return this;
    }

    public OnnxModelBuilder Output(string name, OnnxDataType type, params Dim[] shape)
    {
        _outputs.Add(graph => WriteValueInfo(graph, Graph.Output, name, type, shape));
        return this;
    }

    /// <summary>A node. Nodes must be added in topological order; intermediate values need no declaration
    /// (ORT infers their types). Attribute values may be long/int, float, string or long[].</summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, string? name = null,
        IReadOnlyList<KeyValuePair<string, object>>? attributes = null)
    {
        string nodeName = name ?? $"{opType.ToLowerInvariant()}_{_nodes.Count}";
        _nodes.Add(graph => graph.Message(Graph.Node, node =>
        {
            foreach (string input in inputs)
            {
                node.String(NodeProto.Input, input); // repeated string: one field per element, order = operand order.
            }

            foreach (string output in outputs)
            {
                node.String(NodeProto.Output, output);
            }

            node.String(NodeProto.Name, nodeName);
            node.String(NodeProto.OpType, opType);
            foreach (KeyValuePair<string, object> attribute in attributes ?? Array.Empty<KeyValuePair<string, object>>())
            {
                node.Message(NodeProto.Attribute, a => WriteAttribute(a, attribute.Key, attribute.Value));
            }
        }));
        return this;
    }

    /// <summary>A float constant, written as packed float_data (what the reference serializer emits for floats).</summary>
    public OnnxModelBuilder Initializer(string name, long[] dims, float[] values)
    {
        CheckCount(name, dims, values.Length);
        _initializers.Add(graph => graph.Message(Graph.Initializer, tensor =>
        {
            tensor.RepeatedVarint(Tensor.Dims, dims);
            tensor.Varint(Tensor.DataType, (int)OnnxDataType.Float);
            tensor.PackedFloats(Tensor.FloatData, values);
            tensor.String(Tensor.Name, name);
        }));
        return this;
    }

    /// <summary>An int64 constant (shapes, axes, indices), written as little-endian raw_data.</summary>
    public OnnxModelBuilder Initializer(string name, long[] dims, long[] values)
    {
        CheckCount(name, dims, values.Length);
        var raw = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        }

        _initializers.Add(graph => graph.Message(Graph.Initializer, tensor =>
        {
            tensor.RepeatedVarint(Tensor.Dims, dims);
            tensor.Varint(Tensor.DataType, (int)OnnxDataType.Int64);
            tensor.String(Tensor.Name, name);
            tensor.Bytes(Tensor.RawData, raw);
        }));
        return this;
    }

    /// <summary>The serialized ModelProto.</summary>
    public byte[] Build()
    {
        var model = new ProtoWriter();
        model.Varint(Model.IrVersion, _irVersion);
        model.String(Model.ProducerName, Producer);
        model.String(Model.ProducerVersion, "1");
        model.Message(Model.Graph, graph =>
        {
            foreach (Action<ProtoWriter> node in _nodes)
            {
                node(graph);
            }

            graph.String(Graph.Name, _graphName);
            foreach (Action<ProtoWriter> part in _initializers.Concat(_inputs).Concat(_outputs))
            {
                part(graph);
            }
        });
        model.Message(Model.OpsetImport, opset => opset.Varint(OpsetId.Version, _opset));
        return model.ToArray();
    }

    private static void CheckCount(string name, long[] dims, int count)
    {
        long expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has dims [{string.Join(",", dims)}] ({expected} elements) but {count} values.");
        }
    }

    private static void WriteAttribute(ProtoWriter attribute, string name, object value)
    {
        attribute.String(Attribute.Name, name);
        switch (value)
        {
            case float f:
                attribute.Fixed32Float(Attribute.F, f);
                attribute.Varint(Attribute.Type, AttributeType.Float);
                break;
            case int or long:
                attribute.Varint(Attribute.I, Convert.ToInt64(value));
                attribute.Varint(Attribute.Type, AttributeType.Int);
                break;
            case string s:
                attribute.String(Attribute.S, s);
                attribute.Varint(Attribute.Type, AttributeType.String);
                break;
            case long[] ints:
                attribute.RepeatedVarint(Attribute.Ints, ints);
                attribute.Varint(Attribute.Type, AttributeType.Ints);
                break;
            default:
                throw new ArgumentException($"Attribute '{name}': unsupported value type {value.GetType().Name}.");
        }
    }

    /// <summary>A graph input/output: tensor(elem_type) with one TensorShapeProto.Dimension per dim; a dimension with
    /// neither dim_value nor dim_param is unknown. A rank-0 (scalar) tensor still writes an empty shape, which is
    /// what distinguishes "scalar" from "shape unknown".</summary>
    private static void WriteValueInfo(ProtoWriter graph, int field, string name, OnnxDataType type, Dim[] dims) =>
        graph.Message(field, info =>
        {
            info.String(ValueInfo.Name, name);
            info.Message(ValueInfo.Type, typeProto => typeProto.Message(TypeProto.TensorType, tensor =>
            {
                tensor.Varint(TensorType.ElemType, (int)type);
                tensor.Message(TensorType.Shape, shape =>
                {
                    foreach (Dim dim in dims)
                    {
                        shape.Message(Shape.Dim, d =>
                        {
                            if (dim.Value is long value)
                            {
                                d.Varint(Dimension.DimValue, value);
                            }
                            else if (dim.Param is string param)
                            {
                                d.String(Dimension.DimParam, param);
                            }
                        });
                    }
                });
            }));
        });
}
