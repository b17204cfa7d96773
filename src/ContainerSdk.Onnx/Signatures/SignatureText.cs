using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ContainerSdk.Onnx.Signatures;

/// <summary>
/// The signature file under obj/ that a task writes and the generator and analyzers read: one record a line, fields
/// separated by tabs, every field escaped (<c>\\ \t \n \r</c>, other control characters as <c>\xHH</c>), so any
/// tensor name survives. Deterministic: the same model gives the same bytes. Example:
/// <code>
/// containersdk-onnx-signature	1
/// ir_version	8
/// producer	pytorch	2.1.0
/// opset		17
/// input	input_ids	tensor	int64	2	?batch	?sequence
/// output	logits	tensor	float	2	?batch	2
/// input	history	sequence	seq(tensor(float))
/// external	weights.bin
/// </code>
/// A tensor line gives the rank (-1: unknown) and then one field per dimension: a size, <c>?name</c> for a symbolic
/// dimension, or <c>?</c> for an unnamed one.
/// </summary>
public static class SignatureText
{
    public const string Header = "containersdk-onnx-signature";
    public const int FormatVersion = 1;

    public static string Write(ModelSignature signature)
    {
        var text = new StringBuilder();
        Line(text, Header, FormatVersion.ToString(CultureInfo.InvariantCulture));
        Line(text, "ir_version", Number(signature.IrVersion));
        Line(text, "producer", signature.ProducerName, signature.ProducerVersion);
        Line(text, "domain", signature.Domain);
        Line(text, "model_version", Number(signature.ModelVersion));
        foreach (var opset in signature.Opsets)
        {
            Line(text, "opset", opset.Domain, Number(opset.Version));
        }

        foreach (var entry in signature.Metadata)
        {
            Line(text, "metadata", entry.Key, entry.Value);
        }

        foreach (var input in signature.Inputs)
        {
            Value(text, "input", input);
        }

        foreach (var output in signature.Outputs)
        {
            Value(text, "output", output);
        }

        foreach (var file in signature.ExternalDataFiles)
        {
            Line(text, "external", file);
        }

        return text.ToString();
    }

    /// <summary>Parses a signature file; false with a reason for a file of another format or version.</summary>
    public static bool TryParse(string text, out ModelSignature? signature, out string error)
    {
        signature = null;
        error = "";
        long ir = 0, modelVersion = 0;
        string producer = "", producerVersion = "", domain = "";
        var opsets = new List<OpsetImport>();
        var metadata = new List<MetadataEntry>();
        var inputs = new List<ValueSignature>();
        var outputs = new List<ValueSignature>();
        var external = new List<string>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 0 || lines[0] != Header + "\t" + FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            error = $"not a version {FormatVersion} ContainerSdk model signature (first line: '{Truncate(lines.FirstOrDefault() ?? "")}')";
            return false;
        }

        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split('\t').Select(Unescape).ToArray();
            bool ok = f[0] switch
            {
                "ir_version" => f.Length == 2 && TryNumber(f[1], out ir),
                "producer" => f.Length == 3 && Set(out producer, f[1]) && Set(out producerVersion, f[2]),
                "domain" => f.Length == 2 && Set(out domain, f[1]),
                "model_version" => f.Length == 2 && TryNumber(f[1], out modelVersion),
                "opset" => f.Length == 3 && TryNumber(f[2], out long v) && Add(opsets, new OpsetImport(f[1], v)),
                "metadata" => f.Length == 3 && Add(metadata, new MetadataEntry(f[1], f[2])),
                "input" => TryValue(f, inputs),
                "output" => TryValue(f, outputs),
                "external" => f.Length == 2 && Add(external, f[1]),
                _ => true, // a later format's extra record kinds are ignored by this reader
            };
            if (!ok)
            {
                error = $"line {i + 1} is malformed: '{Truncate(lines[i])}'";
                return false;
            }
        }

        signature = new ModelSignature(
            ir, producer, producerVersion, domain, modelVersion,
            new EquatableArray<OpsetImport>(opsets), new EquatableArray<MetadataEntry>(metadata),
            new EquatableArray<ValueSignature>(inputs), new EquatableArray<ValueSignature>(outputs),
            new EquatableArray<string>(external));
        return true;
    }

    /// <summary>ONNX's own spelling of an element type ("float", "int64", "bfloat16", ...).</summary>
    public static string ElementName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.String => "string",
        TensorElementType.Bool => "bool",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "double",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Complex64 => "complex64",
        TensorElementType.Complex128 => "complex128",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Float8E4M3FN => "float8e4m3fn",
        TensorElementType.Float8E4M3FNUZ => "float8e4m3fnuz",
        TensorElementType.Float8E5M2 => "float8e5m2",
        TensorElementType.Float8E5M2FNUZ => "float8e5m2fnuz",
        TensorElementType.UInt4 => "uint4",
        TensorElementType.Int4 => "int4",
        TensorElementType.Float4E2M1 => "float4e2m1",
        _ => "type" + ((int)type).ToString(CultureInfo.InvariantCulture),
    };

    private static TensorElementType ParseElement(string name)
    {
        foreach (TensorElementType t in Enum.GetValues(typeof(TensorElementType)))
        {
            if (ElementName(t) == name)
            {
                return t;
            }
        }

        return name.StartsWith("type", StringComparison.Ordinal) && int.TryParse(name.Substring(4), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? (TensorElementType)n
            : TensorElementType.Undefined;
    }

    private static string KindName(ValueKind kind) => kind switch
    {
        ValueKind.Tensor => "tensor",
        ValueKind.Sequence => "sequence",
        ValueKind.Map => "map",
        ValueKind.Optional => "optional",
        ValueKind.SparseTensor => "sparse_tensor",
        _ => "unknown",
    };

    private static void Value(StringBuilder text, string record, ValueSignature value)
    {
        if (value.Kind != ValueKind.Tensor)
        {
            Line(text, record, value.Name, KindName(value.Kind), value.TypeText);
            return;
        }

        var fields = new List<string> { record, value.Name, "tensor", ElementName(value.ElementType) };
        if (value.Shape is not { } shape)
        {
            fields.Add("-1");
        }
        else
        {
            fields.Add(shape.Count.ToString(CultureInfo.InvariantCulture));
            fields.AddRange(shape.Select(d => d.IsFixed ? Number(d.Value) : "?" + d.Symbol));
        }

        Line(text, fields.ToArray());
    }

    private static bool TryValue(string[] f, List<ValueSignature> into)
    {
        if (f.Length < 4)
        {
            return false;
        }

        string name = f[1];
        if (f[2] != "tensor")
        {
            var kind = f[2] switch
            {
                "sequence" => ValueKind.Sequence,
                "map" => ValueKind.Map,
                "optional" => ValueKind.Optional,
                "sparse_tensor" => ValueKind.SparseTensor,
                _ => ValueKind.Unknown,
            };
            into.Add(new ValueSignature(name, kind, TensorElementType.Undefined, null, f[3]));
            return f.Length == 4;
        }

        var element = ParseElement(f[3]);
        string typeText = "tensor(" + f[3] + ")";
        if (f.Length < 5 || !int.TryParse(f[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int rank) || rank < -1)
        {
            return false;
        }

        if (rank == -1)
        {
            into.Add(new ValueSignature(name, ValueKind.Tensor, element, null, typeText));
            return f.Length == 5;
        }

        if (f.Length != 5 + rank)
        {
            return false;
        }

        var dims = new Dimension[rank];
        for (int i = 0; i < rank; i++)
        {
            string d = f[5 + i];
            if (d.StartsWith("?", StringComparison.Ordinal))
            {
                dims[i] = d.Length == 1 ? Dimension.Unknown : Dimension.Symbolic(d.Substring(1));
            }
            else if (TryNumber(d, out long size) && size >= 0)
            {
                dims[i] = Dimension.Fixed(size);
            }
            else
            {
                return false;
            }
        }

        into.Add(new ValueSignature(name, ValueKind.Tensor, element, new EquatableArray<Dimension>(dims), typeText));
        return true;
    }

    private static void Line(StringBuilder text, params string[] fields)
    {
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                text.Append('\t');
            }

            Escape(text, fields[i]);
        }

        text.Append('\n');
    }

    private static void Escape(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }
    }

    private static string Unescape(string field)
    {
        if (field.IndexOf('\\') < 0)
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            char c = field[i];
            if (c != '\\' || i + 1 >= field.Length)
            {
                text.Append(c);
                continue;
            }

            char n = field[++i];
            switch (n)
            {
                case 't': text.Append('\t'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 'x' when i + 2 < field.Length && int.TryParse(field.Substring(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code):
                    text.Append((char)code);
                    i += 2;
                    break;
                default: text.Append(n); break;
            }
        }

        return text.ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool Set(out string target, string value)
    {
        target = value;
        return true;
    }

    private static bool Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return true;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s.Substring(0, 80) + "...";
}
