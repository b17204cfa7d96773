using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ContainerSdk.Samples.Tests.Infrastructure;

/// <summary>A tensor as a test writes it: KServe datatype, shape and plain C# values (numbers, bools, strings).</summary>
public sealed record TestTensor(string Name, string Datatype, long[] Shape, object[] Values)
{
    public static TestTensor Of<T>(string name, string datatype, long[] shape, params T[] values) =>
        new(name, datatype, shape, values.Cast<object>().ToArray());

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["shape"] = new JsonArray(Shape.Select(d => (JsonNode?)d).ToArray()),
        ["datatype"] = Datatype,
        ["data"] = new JsonArray(Values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
    };

    /// <summary>The same tensor as ONNX Runtime's own input, built without the service's code.</summary>
    public OrtValue ToOrtValue() => Datatype switch
    {
        "FP32" => Tensor(v => Convert.ToSingle(v, CultureInfo.InvariantCulture)),
        "FP64" => Tensor(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)),
        "FP16" => Tensor(v => new Float16(BitConverter.HalfToUInt16Bits((Half)Convert.ToSingle(v, CultureInfo.InvariantCulture)))),
        "BF16" => Tensor(v => (BFloat16)Convert.ToSingle(v, CultureInfo.InvariantCulture)),
        "INT8" => Tensor(v => Convert.ToSByte(v, CultureInfo.InvariantCulture)),
        "INT16" => Tensor(v => Convert.ToInt16(v, CultureInfo.InvariantCulture)),
        "INT32" => Tensor(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)),
        "INT64" => Tensor(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)),
        "UINT8" => Tensor(v => Convert.ToByte(v, CultureInfo.InvariantCulture)),
        "UINT16" => Tensor(v => Convert.ToUInt16(v, CultureInfo.InvariantCulture)),
        "UINT32" => Tensor(v => Convert.ToUInt32(v, CultureInfo.InvariantCulture)),
        "UINT64" => Tensor(v => Convert.ToUInt64(v, CultureInfo.InvariantCulture)),
        "BOOL" => Tensor(v => (bool)v),
        "BYTES" => OrtValue.CreateFromStringTensor(new DenseTensor<string>(Values.Cast<string>().ToArray(), Shape.Select(d => (int)d).ToArray())),
        _ => throw new ArgumentException($"no ORT mapping for {Datatype}"),
    };

    private OrtValue Tensor<T>(Func<object, T> convert) where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(Values.Select(convert).ToArray(), Shape);
}

/// <summary>An output reduced to text that both sides can produce independently: the service's JSON and ORT's own
/// result. Floats as the shortest round-trip text of their own width (so equal text is equal bits), integers in full.</summary>
public sealed record CanonicalTensor(string Name, string Datatype, long[] Shape, string[] Values)
{
    public static CanonicalTensor FromJson(JsonElement output)
    {
        string datatype = output.GetProperty("datatype").GetString()!;
        string[] values = output.GetProperty("data").EnumerateArray().Select(v => datatype switch
        {
            "FP32" or "FP16" or "BF16" => v.ValueKind == JsonValueKind.String ? v.GetString()! : ((float)v.GetDouble()).ToString("R", CultureInfo.InvariantCulture),
            "FP64" => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            "BOOL" => v.GetBoolean() ? "true" : "false",
            "BYTES" => v.GetString()!,
            _ => v.GetDecimal().ToString(CultureInfo.InvariantCulture),
        }).ToArray();
        return new CanonicalTensor(output.GetProperty("name").GetString()!, datatype,
            output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(), values);
    }

    public static CanonicalTensor FromOrt(string name, OrtValue value)
    {
        OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
        string F(float f) => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : float.IsNaN(f) ? "NaN" : f > 0 ? "Infinity" : "-Infinity";
        string I<T>(T v) where T : IFormattable => v.ToString(null, CultureInfo.InvariantCulture);
        (string datatype, string[] values) = info.ElementDataType switch
        {
            TensorElementType.Float => ("FP32", value.GetTensorDataAsSpan<float>().ToArray().Select(F).ToArray()),
            TensorElementType.Double => ("FP64", value.GetTensorDataAsSpan<double>().ToArray().Select(d => d.ToString("R", CultureInfo.InvariantCulture)).ToArray()),
            TensorElementType.Float16 => ("FP16", value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => F((float)BitConverter.UInt16BitsToHalf(h.value))).ToArray()),
            TensorElementType.BFloat16 => ("BF16", value.GetTensorDataAsSpan<BFloat16>().ToArray().Select(b => F((float)b)).ToArray()),
            TensorElementType.Int8 => ("INT8", value.GetTensorDataAsSpan<sbyte>().ToArray().Select(I).ToArray()),
            TensorElementType.Int16 => ("INT16", value.GetTensorDataAsSpan<short>().ToArray().Select(I).ToArray()),
            TensorElementType.Int32 => ("INT32", value.GetTensorDataAsSpan<int>().ToArray().Select(I).ToArray()),
            TensorElementType.Int64 => ("INT64", value.GetTensorDataAsSpan<long>().ToArray().Select(I).ToArray()),
            TensorElementType.UInt8 => ("UINT8", value.GetTensorDataAsSpan<byte>().ToArray().Select(I).ToArray()),
            TensorElementType.UInt16 => ("UINT16", value.GetTensorDataAsSpan<ushort>().ToArray().Select(I).ToArray()),
            TensorElementType.UInt32 => ("UINT32", value.GetTensorDataAsSpan<uint>().ToArray().Select(I).ToArray()),
            TensorElementType.UInt64 => ("UINT64", value.GetTensorDataAsSpan<ulong>().ToArray().Select(I).ToArray()),
            TensorElementType.Bool => ("BOOL", value.GetTensorDataAsSpan<bool>().ToArray().Select(b => b ? "true" : "false").ToArray()),
            TensorElementType.String => ("BYTES", value.GetStringTensorAsArray()),
            var other => throw new ArgumentException($"no canonical form for {other}"),
        };
        return new CanonicalTensor(name, datatype, info.Shape, values);
    }

    /// <summary>Shouldly prints records with arrays poorly; compare field by field with readable messages.</summary>
    public void ShouldMatch(CanonicalTensor expected)
    {
        Name.ShouldBe(expected.Name);
        Datatype.ShouldBe(expected.Datatype, $"datatype of {Name}");
        Shape.ShouldBe(expected.Shape, $"shape of {Name}");
        Values.ShouldBe(expected.Values, $"data of {Name}");
    }
}

/// <summary>ONNX Runtime run in the test process on the same model bytes: the reference the service must match.</summary>
public static class OrtReference
{
    public static IReadOnlyList<CanonicalTensor> Run(byte[] model, IEnumerable<TestTensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        using var session = new InferenceSession(model);
        var values = inputs.ToDictionary(t => t.Name, t => t.ToOrtValue());
        try
        {
            IReadOnlyList<string> names = outputNames ?? session.OutputNames;
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, values, names);
            return names.Select((name, i) => CanonicalTensor.FromOrt(name, results[i])).ToArray();
        }
        finally
        {
            foreach (OrtValue value in values.Values)
            {
                value.Dispose();
            }
        }
    }
}
