using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Onnx.Signatures;

namespace ContainerSdk.Onnx.Reading;

/// <summary>
/// Reads a model's <see cref="ModelSignature"/> straight from the .onnx protobuf (onnx/onnx.proto, field numbers in
/// the comments), in one forward pass over the file. Only the small fields are read: node lists, doc strings and
/// every tensor payload are skipped by seeking, so a 1 GB model costs about what a 1 MB one does.
/// </summary>
public static class OnnxSignatureReader
{
    private const int MaxName = 64 * 1024;
    private const int MaxMetadataValue = 1024 * 1024;

    public static ModelSignature Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream);
    }

    /// <exception cref="OnnxFormatException">The bytes are not an ONNX model, or are truncated or corrupt.</exception>
    public static ModelSignature Read(Stream stream)
    {
        var reader = new ProtoStreamReader(stream);
        if (stream.CanSeek && stream.Length == 0)
        {
            throw new OnnxFormatException("the file is empty");
        }

        long ir = 0, modelVersion = 0;
        string producer = "", producerVersion = "", domain = "";
        var opsets = new List<OpsetImport>();
        var metadata = new List<MetadataEntry>();
        Graph? graph = null;
        long end = reader.Length;
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 1: ir = Int(reader, wire, "ModelProto.ir_version"); break;
                case 2: producer = Str(reader, wire, end, "ModelProto.producer_name"); break;
                case 3: producerVersion = Str(reader, wire, end, "ModelProto.producer_version"); break;
                case 4: domain = Str(reader, wire, end, "ModelProto.domain"); break;
                case 5: modelVersion = Int(reader, wire, "ModelProto.model_version"); break;
                case 7: graph = ReadGraph(reader, Sub(reader, wire, end, "ModelProto.graph")); break;
                case 8: opsets.Add(ReadOpset(reader, Sub(reader, wire, end, "ModelProto.opset_import"))); break;
                case 14: metadata.Add(ReadEntry(reader, Sub(reader, wire, end, "ModelProto.metadata_props"), out _)); break;
                default: reader.Skip(wire, end); break;
            }
        }

        if (graph is null || ir <= 0)
        {
            throw new OnnxFormatException(graph is null
                ? "no graph: this is not an ONNX model (ModelProto.graph is missing)"
                : "no ir_version: this is not an ONNX model (ModelProto.ir_version is missing)");
        }

        var initializers = new HashSet<string>(graph.Initializers, StringComparer.Ordinal);
        return new ModelSignature(
            ir, producer, producerVersion, domain, modelVersion,
            new EquatableArray<OpsetImport>(opsets),
            new EquatableArray<MetadataEntry>(metadata),
            new EquatableArray<ValueSignature>(graph.Inputs.Where(i => !initializers.Contains(i.Name))),
            new EquatableArray<ValueSignature>(graph.Outputs),
            new EquatableArray<string>(graph.ExternalFiles));
    }

    private sealed class Graph
    {
        public List<ValueSignature> Inputs { get; } = [];
        public List<ValueSignature> Outputs { get; } = [];
        public List<string> Initializers { get; } = [];
        public List<string> ExternalFiles { get; } = [];
    }

    private static Graph ReadGraph(ProtoStreamReader reader, long end)
    {
        var graph = new Graph();
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 5: ReadInitializer(reader, Sub(reader, wire, end, "GraphProto.initializer"), graph); break;
                case 11: graph.Inputs.Add(ReadValueInfo(reader, Sub(reader, wire, end, "GraphProto.input"))); break;
                case 12: graph.Outputs.Add(ReadValueInfo(reader, Sub(reader, wire, end, "GraphProto.output"))); break;
                case 15: ReadSparseInitializer(reader, Sub(reader, wire, end, "GraphProto.sparse_initializer"), graph); break;
                default: reader.Skip(wire, end); break; // node (1), doc_string (10), value_info (13), ...
            }
        }

        return graph;
    }

    // SparseTensorProto: values = 1 (a TensorProto whose name is the initializer's); indices = 2 may be external too.
    private static void ReadSparseInitializer(ProtoStreamReader reader, long end, Graph graph)
    {
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            if (field is 1 or 2)
            {
                string name = ReadTensor(reader, Sub(reader, wire, end, "SparseTensorProto.values"), graph);
                if (field == 1)
                {
                    graph.Initializers.Add(name);
                }
            }
            else
            {
                reader.Skip(wire, end);
            }
        }
    }

    private static void ReadInitializer(ProtoStreamReader reader, long end, Graph graph) =>
        graph.Initializers.Add(ReadTensor(reader, end, graph));

    // TensorProto: name = 8, external_data = 13 (StringStringEntryProto), data_location = 14. The payload fields
    // (raw_data = 9, float_data = 4, ...) are skipped without being read.
    private static string ReadTensor(ProtoStreamReader reader, long end, Graph graph)
    {
        string name = "";
        string? location = null;
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 8:
                    name = Str(reader, wire, end, "TensorProto.name");
                    break;
                case 13:
                    var entry = ReadEntry(reader, Sub(reader, wire, end, "TensorProto.external_data"), out _);
                    if (entry.Key == "location")
                    {
                        location = entry.Value;
                    }

                    break;
                default:
                    reader.Skip(wire, end);
                    break;
            }
        }

        if (location is not null)
        {
            string normalized = location.Replace('\\', '/');
            if (!graph.ExternalFiles.Contains(normalized, StringComparer.Ordinal))
            {
                graph.ExternalFiles.Add(normalized);
            }
        }

        return name;
    }

    // ValueInfoProto: name = 1, type = 2 (TypeProto).
    private static ValueSignature ReadValueInfo(ProtoStreamReader reader, long end)
    {
        string name = "";
        ValueSignature? type = null;
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 1: name = Str(reader, wire, end, "ValueInfoProto.name"); break;
                case 2: type = ReadType(reader, Sub(reader, wire, end, "ValueInfoProto.type")); break;
                default: reader.Skip(wire, end); break;
            }
        }

        return (type ?? new ValueSignature("", ValueKind.Unknown, TensorElementType.Undefined, null, "unknown")) with { Name = name };
    }

    // TypeProto: tensor_type = 1, sequence_type = 4, map_type = 5, sparse_tensor_type = 8, optional_type = 9.
    private static ValueSignature ReadType(ProtoStreamReader reader, long end)
    {
        ValueSignature result = new("", ValueKind.Unknown, TensorElementType.Undefined, null, "unknown");
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    result = ReadTensorType(reader, Sub(reader, wire, end, "TypeProto.tensor_type"), ValueKind.Tensor);
                    break;
                case 8:
                    var sparse = ReadTensorType(reader, Sub(reader, wire, end, "TypeProto.sparse_tensor_type"), ValueKind.SparseTensor);
                    result = sparse with { TypeText = "sparse_tensor(" + SignatureText.ElementName(sparse.ElementType) + ")" };
                    break;
                case 4:
                case 9:
                    string inner = ElementTypeText(reader, Sub(reader, wire, end, "TypeProto.elem"));
                    result = field == 4
                        ? new ValueSignature("", ValueKind.Sequence, TensorElementType.Undefined, null, "seq(" + inner + ")")
                        : new ValueSignature("", ValueKind.Optional, TensorElementType.Undefined, null, "optional(" + inner + ")");
                    break;
                case 5:
                    result = new ValueSignature("", ValueKind.Map, TensorElementType.Undefined, null, ReadMapText(reader, Sub(reader, wire, end, "TypeProto.map_type")));
                    break;
                default:
                    reader.Skip(wire, end);
                    break;
            }
        }

        return result;
    }

    // TypeProto.Tensor / SparseTensor: elem_type = 1, shape = 2 (TensorShapeProto: dim = 1; Dimension: dim_value = 1,
    // dim_param = 2).
    private static ValueSignature ReadTensorType(ProtoStreamReader reader, long end, ValueKind kind)
    {
        var element = TensorElementType.Undefined;
        List<Dimension>? dims = null;
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            if (field == 1)
            {
                element = (TensorElementType)Int(reader, wire, "TypeProto.Tensor.elem_type");
            }
            else if (field == 2)
            {
                long shapeEnd = Sub(reader, wire, end, "TypeProto.Tensor.shape");
                dims = [];
                while (reader.TryReadTag(shapeEnd, out int f, out int w))
                {
                    if (f == 1)
                    {
                        dims.Add(ReadDimension(reader, Sub(reader, w, shapeEnd, "TensorShapeProto.dim")));
                    }
                    else
                    {
                        reader.Skip(w, shapeEnd);
                    }
                }
            }
            else
            {
                reader.Skip(wire, end);
            }
        }

        return new ValueSignature("", kind, element, dims is null ? null : new EquatableArray<Dimension>(dims), "tensor(" + SignatureText.ElementName(element) + ")");
    }

    private static Dimension ReadDimension(ProtoStreamReader reader, long end)
    {
        var dim = Dimension.Unknown;
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    long value = Int(reader, wire, "Dimension.dim_value");
                    dim = value >= 0 ? Dimension.Fixed(value) : Dimension.Unknown;
                    break;
                case 2:
                    dim = Dimension.Symbolic(Str(reader, wire, end, "Dimension.dim_param"));
                    break;
                default:
                    reader.Skip(wire, end);
                    break;
            }
        }

        return dim;
    }

    // Sequence / Optional: elem_type = 1 (TypeProto).
    private static string ElementTypeText(ProtoStreamReader reader, long end)
    {
        string text = "unknown";
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            if (field == 1)
            {
                text = ReadType(reader, Sub(reader, wire, end, "elem_type")).TypeText;
            }
            else
            {
                reader.Skip(wire, end);
            }
        }

        return text;
    }

    // Map: key_type = 1 (an elem_type number), value_type = 2 (TypeProto).
    private static string ReadMapText(ProtoStreamReader reader, long end)
    {
        string key = "unknown", value = "unknown";
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 1: key = SignatureText.ElementName((TensorElementType)Int(reader, wire, "Map.key_type")); break;
                case 2: value = ReadType(reader, Sub(reader, wire, end, "Map.value_type")).TypeText; break;
                default: reader.Skip(wire, end); break;
            }
        }

        return "map(" + key + "," + value + ")";
    }

    // OperatorSetIdProto: domain = 1, version = 2.
    private static OpsetImport ReadOpset(ProtoStreamReader reader, long end)
    {
        string domain = "";
        long version = 0;
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 1: domain = Str(reader, wire, end, "OperatorSetIdProto.domain"); break;
                case 2: version = Int(reader, wire, "OperatorSetIdProto.version"); break;
                default: reader.Skip(wire, end); break;
            }
        }

        return new OpsetImport(domain, version);
    }

    // StringStringEntryProto: key = 1, value = 2.
    private static MetadataEntry ReadEntry(ProtoStreamReader reader, long end, out bool hasValue)
    {
        string key = "", value = "";
        hasValue = false;
        while (reader.TryReadTag(end, out int field, out int wire))
        {
            switch (field)
            {
                case 1: key = Str(reader, wire, end, "StringStringEntryProto.key"); break;
                case 2: value = StrLimit(reader, wire, end, "StringStringEntryProto.value", MaxMetadataValue); hasValue = true; break;
                default: reader.Skip(wire, end); break;
            }
        }

        return new MetadataEntry(key, value);
    }

    private static long Int(ProtoStreamReader reader, int wire, string what)
    {
        Expect(reader, wire, ProtoStreamReader.WireVarint, what);
        return reader.ReadInt64();
    }

    private static string Str(ProtoStreamReader reader, int wire, long end, string what) => StrLimit(reader, wire, end, what, MaxName);

    private static string StrLimit(ProtoStreamReader reader, int wire, long end, string what, int limit)
    {
        Expect(reader, wire, ProtoStreamReader.WireLengthDelimited, what);
        return reader.ReadString(end, limit);
    }

    private static long Sub(ProtoStreamReader reader, int wire, long end, string what)
    {
        Expect(reader, wire, ProtoStreamReader.WireLengthDelimited, what);
        return reader.ReadLengthEnd(end);
    }

    private static void Expect(ProtoStreamReader reader, int wire, int expected, string what)
    {
        if (wire != expected)
        {
            throw new OnnxFormatException($"{what} near byte {reader.Position} has wire type {wire}, not {expected}: this is not an ONNX model, or it is corrupt");
        }
    }
}
