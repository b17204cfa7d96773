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

    // onnx.proto field numbers, grouped by message. Only the fields this model uses.
    private static class Model { public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Graph = 7, OpsetImport = 8; }
    private static class OpsetId { public const int Version = 2; } // domain (1) omitted: absent means the ONNX domain.
    private static class Graph { public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12; }
    private static class Node { public const int Input = 1, Output = 2, Name = 3, OpType = 4; }
    private static class Tensor { public const int Dims = 1, DataType = 2, FloatData = 4, Name = 8; }
    private static class ValueInfo { public const int Name = 1, Type = 2; }
    private static class TypeProto { public const int TensorType = 1; }
    private static class TensorType { public const int ElemType = 1, Shape = 2; }
    private static class Shape { public const int Dim = 1; }
    private static class Dimension { public const int DimValue = 1, DimParam = 2; }

    private const int DataTypeFloat = 1; // TensorProto.DataType.FLOAT

    // IR version 8 (ONNX 1.10+) lets initializers be absent from graph inputs, which keeps W and B constants rather
    // than overridable inputs; ORT 1.31 reads IR up to 11 and opset 13 covers MatMul/Add/Relu with float support.
    private const long IrVersion = 8;
    private const long OpsetVersion = 13;
    public const string Producer = "ContainerSdk.samples";

    /// <summary>The serialized ModelProto. The same bytes on every call, platform and run.</summary>
    public static byte[] Build()
    {
        var model = new ProtoWriter();
        // Fields in field-number order, as protobuf's own serializers emit them (parsers accept any order).
        model.Varint(Model.IrVersion, IrVersion);
        model.String(Model.ProducerName, Producer);
        model.String(Model.ProducerVersion, "1");
        model.Message(Model.Graph, WriteGraph);
        model.Message(Model.OpsetImport, opset => opset.Varint(OpsetId.Version, OpsetVersion));
        return model.ToArray();
    }

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

    private static void WriteGraph(ProtoWriter graph)
    {
        // Nodes must be topologically sorted. Intermediate values need no value_info: ORT infers their types.
        WriteNode(graph, "matmul", "MatMul", new[] { InputName, "W" }, "XW");
        WriteNode(graph, "add", "Add", new[] { "XW", "B" }, "XW_plus_B");
        WriteNode(graph, "relu", "Relu", new[] { "XW_plus_B" }, OutputName);
        graph.String(Graph.Name, "relu");
        WriteFloatTensor(graph, "W", new long[] { InputFeatures, OutputFeatures }, W);
        WriteFloatTensor(graph, "B", new long[] { OutputFeatures }, B);
        WriteValueInfo(graph, Graph.Input, InputName, InputFeatures);
        WriteValueInfo(graph, Graph.Output, OutputName, OutputFeatures);
    }

    private static void WriteNode(ProtoWriter graph, string name, string opType, string[] inputs, string output) =>
        graph.Message(Graph.Node, node =>
        {
            foreach (string input in inputs)
            {
                node.String(Node.Input, input); // repeated string: one field per element, order = operand order.
            }

            node.String(Node.Output, output);
            node.String(Node.Name, name);
            node.String(Node.OpType, opType);
        });

    private static void WriteFloatTensor(ProtoWriter graph, string name, long[] dims, float[] values) =>
        graph.Message(Graph.Initializer, tensor =>
        {
            tensor.RepeatedVarint(Tensor.Dims, dims);
            tensor.Varint(Tensor.DataType, DataTypeFloat);
            tensor.PackedFloats(Tensor.FloatData, values);
            tensor.String(Tensor.Name, name);
        });

    /// <summary>A graph input/output of type float[N, features], N symbolic so any batch size is accepted.</summary>
    private static void WriteValueInfo(ProtoWriter graph, int field, string name, long features) =>
        graph.Message(field, info =>
        {
            info.String(ValueInfo.Name, name);
            info.Message(ValueInfo.Type, type => type.Message(TypeProto.TensorType, tensor =>
            {
                tensor.Varint(TensorType.ElemType, DataTypeFloat);
                tensor.Message(TensorType.Shape, shape =>
                {
                    shape.Message(Shape.Dim, dim => dim.String(Dimension.DimParam, "N"));
                    shape.Message(Shape.Dim, dim => dim.Varint(Dimension.DimValue, features));
                });
            }));
        });
}
