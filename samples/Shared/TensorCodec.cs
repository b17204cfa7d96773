using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Samples.Inference;

/// <summary>
/// KServe v2 JSON tensor data to ONNX Runtime values and back, for every datatype in
/// <see cref="TensorFormats.Supported"/>. Strict on the way in: a value must fit the tensor's type exactly (no
/// 1.5 for INT32, no 300 for UINT8, no 70000 for FP16, no "NaN" strings, booleans only for BOOL, strings only for
/// BYTES), because a silently converted input gives a silently wrong answer.
/// </summary>
public static class TensorCodec
{
    private delegate bool Reader<T>(JsonElement element, out T value);

    /// <summary>Reads <paramref name="data"/> (flat row-major, or nested like the shape: both flatten the same way)
    /// into a new OrtValue of <paramref name="spec"/>'s type. <paramref name="count"/> is the element count of
    /// <paramref name="shape"/>, already checked against the request's limits.</summary>
    /// <exception cref="ProtocolException">400 when a value does not fit the type or the count is wrong.</exception>
    public static OrtValue Decode(TensorSpec spec, JsonElement data, long[] shape, int count)
    {
        if (spec.ElementType == TensorElementType.String)
        {
            string[] strings = Read(spec, data, count, static (JsonElement e, out string v) => JsonText.TryGetString(e, out v));
            OrtValue value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            try
            {
                for (int i = 0; i < strings.Length; i++)
                {
                    value.StringTensorSetElementAt(strings[i].AsSpan(), i);
                }

                return value;
            }
            catch
            {
                value.Dispose();
                throw;
            }
        }

        return spec.ElementType switch
        {
            TensorElementType.Float => Tensor(spec, data, shape, count, static (JsonElement e, out float v) =>
            {
                bool ok = Number(e, out double d);
                v = (float)d; // rounds to nearest; a finite double beyond float's range becomes infinity and is refused
                return ok && float.IsFinite(v);
            }),
            TensorElementType.Double => Tensor(spec, data, shape, count, static (JsonElement e, out double v) =>
                Number(e, out v) && double.IsFinite(v)),
            TensorElementType.Float16 => Tensor(spec, data, shape, count, static (JsonElement e, out Float16 v) =>
            {
                // System.Half rounds correctly from double; its bits are the same IEEE binary16 that ORT's Float16 holds.
                Half half = Number(e, out double d) ? (Half)d : Half.NaN;
                v = new Float16(BitConverter.HalfToUInt16Bits(half));
                return Half.IsFinite(half);
            }),
            TensorElementType.BFloat16 => Tensor(spec, data, shape, count, static (JsonElement e, out BFloat16 v) =>
            {
                float f = Number(e, out double d) ? (float)d : float.NaN;
                v = (BFloat16)f;
                return float.IsFinite(f) && float.IsFinite((float)v);
            }),
            TensorElementType.Int8 => Tensor(spec, data, shape, count, static (JsonElement e, out sbyte v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetSByte(out v); }),
            TensorElementType.Int16 => Tensor(spec, data, shape, count, static (JsonElement e, out short v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetInt16(out v); }),
            TensorElementType.Int32 => Tensor(spec, data, shape, count, static (JsonElement e, out int v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out v); }),
            TensorElementType.Int64 => Tensor(spec, data, shape, count, static (JsonElement e, out long v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out v); }),
            TensorElementType.UInt8 => Tensor(spec, data, shape, count, static (JsonElement e, out byte v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetByte(out v); }),
            TensorElementType.UInt16 => Tensor(spec, data, shape, count, static (JsonElement e, out ushort v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetUInt16(out v); }),
            TensorElementType.UInt32 => Tensor(spec, data, shape, count, static (JsonElement e, out uint v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out v); }),
            TensorElementType.UInt64 => Tensor(spec, data, shape, count, static (JsonElement e, out ulong v) =>
                { v = 0; return e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out v); }),
            TensorElementType.Bool => Tensor(spec, data, shape, count, static (JsonElement e, out bool v) =>
            {
                v = e.ValueKind == JsonValueKind.True;
                return e.ValueKind is JsonValueKind.True or JsonValueKind.False;
            }),
            _ => throw new ProtocolException(400, $"input '{spec.Name}' has datatype {spec.Datatype}, which this service cannot decode"),
        };
    }

    /// <summary>Writes an output tensor's elements as one flat JSON array (row-major). Non-finite floats, which JSON
    /// numbers cannot hold, are written as the strings "NaN", "Infinity" and "-Infinity".</summary>
    public static void WriteData(Utf8JsonWriter writer, OrtValue value, TensorElementType type)
    {
        writer.WriteStartArray();
        switch (type)
        {
            case TensorElementType.Float:
                foreach (float v in value.GetTensorDataAsSpan<float>())
                {
                    WriteFloat(writer, v);
                }

                break;
            case TensorElementType.Double:
                foreach (double v in value.GetTensorDataAsSpan<double>())
                {
                    WriteFloat(writer, v);
                }

                break;
            case TensorElementType.Float16:
                foreach (Float16 v in value.GetTensorDataAsSpan<Float16>())
                {
                    WriteFloat(writer, (float)BitConverter.UInt16BitsToHalf(v.value));
                }

                break;
            case TensorElementType.BFloat16:
                foreach (BFloat16 v in value.GetTensorDataAsSpan<BFloat16>())
                {
                    WriteFloat(writer, (float)v);
                }

                break;
            case TensorElementType.Int8:
                foreach (sbyte v in value.GetTensorDataAsSpan<sbyte>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Int16:
                foreach (short v in value.GetTensorDataAsSpan<short>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Int32:
                foreach (int v in value.GetTensorDataAsSpan<int>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Int64:
                foreach (long v in value.GetTensorDataAsSpan<long>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt8:
                foreach (byte v in value.GetTensorDataAsSpan<byte>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt16:
                foreach (ushort v in value.GetTensorDataAsSpan<ushort>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt32:
                foreach (uint v in value.GetTensorDataAsSpan<uint>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.UInt64:
                foreach (ulong v in value.GetTensorDataAsSpan<ulong>())
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case TensorElementType.Bool:
                foreach (bool v in value.GetTensorDataAsSpan<bool>())
                {
                    writer.WriteBooleanValue(v);
                }

                break;
            case TensorElementType.String:
                foreach (string v in value.GetStringTensorAsArray())
                {
                    writer.WriteStringValue(v);
                }

                break;
            default:
                throw new InvalidOperationException($"output element type {type} is not supported"); // ModelHost filters these out.
        }

        writer.WriteEndArray();
    }

    private static OrtValue Tensor<T>(TensorSpec spec, JsonElement data, long[] shape, int count, Reader<T> read)
        where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(Read(spec, data, count, read), shape);

    private static T[] Read<T>(TensorSpec spec, JsonElement data, int count, Reader<T> read)
    {
        var values = new T[count];
        int filled = 0;
        Fill(spec, data, values, ref filled, read);
        return filled == count
            ? values
            : throw new ProtocolException(400, $"input '{spec.Name}' has {filled} data values but its shape holds {count}");
    }

    // Recursion depth is bounded by the JSON reader's maximum depth (InferenceLimits.MaxJsonDepth).
    private static void Fill<T>(TensorSpec spec, JsonElement array, T[] values, ref int filled, Reader<T> read)
    {
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Fill(spec, item, values, ref filled, read);
                continue;
            }

            if (filled == values.Length)
            {
                throw new ProtocolException(400, $"input '{spec.Name}' has more data values than its shape holds ({values.Length})");
            }

            if (!read(item, out values[filled]))
            {
                throw new ProtocolException(400,
                    $"input '{spec.Name}' data[{filled}] is {JsonText.Excerpt(item)}, which is not a valid {spec.Datatype} value ({Expected(spec.ElementType)})");
            }

            filled++;
        }
    }

    private static bool Number(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value);
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value); // shortest round-trip text: 2.5, not 2.5000000
        }
        else
        {
            WriteFloat(writer, (double)value);
        }
    }

    private static string Expected(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Double or TensorElementType.Float16 or TensorElementType.BFloat16 =>
            "a finite JSON number in the type's range",
        TensorElementType.Bool => "true or false",
        TensorElementType.String => "a JSON string",
        _ => "a JSON integer in the type's range",
    };

}

/// <summary>A client error found while reading a request; the message goes back as <c>{"error": "..."}</c>.</summary>
public sealed class ProtocolException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>Reading JSON strings that may not be valid text.</summary>
public static class JsonText
{
    /// <summary>False for a non-string, and for a string System.Text.Json cannot turn into .NET text (a lone
    /// surrogate escape like "\ud800", invalid UTF-8), which GetString() reports by throwing.</summary>
    public static bool TryGetString(JsonElement element, out string value)
    {
        value = "";
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The start of an element's JSON text for an error message; never throws on invalid text.</summary>
    public static string Excerpt(JsonElement element)
    {
        try
        {
            string text = element.GetRawText();
            return text.Length <= 40 ? text : text[..40] + "...";
        }
        catch (InvalidOperationException)
        {
            return "(not valid UTF-8)";
        }
    }
}
