using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Inference;
using Microsoft.ML.OnnxRuntime;

namespace ContainerSdk.Samples.Tests.Infrastructure;

/// <summary>
/// The tests' own encoders for the binary tensor data extension and gRPC, written from the two specifications and
/// sharing nothing with the service: little-endian, row-major, BOOL one byte, BYTES a 4-byte length before each
/// element.
/// </summary>
public static class Wire
{
    public const string HeaderLength = "Inference-Header-Content-Length";

    public static byte[] ToBytes(this TestTensor t)
    {
        var bytes = new List<byte>();
        Span<byte> b = stackalloc byte[8];
        foreach (object v in t.Values)
        {
            int n;
            switch (t.Datatype)
            {
                case "FP32": BinaryPrimitives.WriteSingleLittleEndian(b, Convert.ToSingle(v, CultureInfo.InvariantCulture)); n = 4; break;
                case "FP64": BinaryPrimitives.WriteDoubleLittleEndian(b, Convert.ToDouble(v, CultureInfo.InvariantCulture)); n = 8; break;
                case "FP16": BinaryPrimitives.WriteHalfLittleEndian(b, (Half)Convert.ToSingle(v, CultureInfo.InvariantCulture)); n = 2; break;
                case "BF16": BinaryPrimitives.WriteUInt16LittleEndian(b, ((BFloat16)Convert.ToSingle(v, CultureInfo.InvariantCulture)).value); n = 2; break;
                case "INT8": b[0] = (byte)Convert.ToSByte(v, CultureInfo.InvariantCulture); n = 1; break;
                case "INT16": BinaryPrimitives.WriteInt16LittleEndian(b, Convert.ToInt16(v, CultureInfo.InvariantCulture)); n = 2; break;
                case "INT32": BinaryPrimitives.WriteInt32LittleEndian(b, Convert.ToInt32(v, CultureInfo.InvariantCulture)); n = 4; break;
                case "INT64": BinaryPrimitives.WriteInt64LittleEndian(b, Convert.ToInt64(v, CultureInfo.InvariantCulture)); n = 8; break;
                case "UINT8": b[0] = Convert.ToByte(v, CultureInfo.InvariantCulture); n = 1; break;
                case "UINT16": BinaryPrimitives.WriteUInt16LittleEndian(b, Convert.ToUInt16(v, CultureInfo.InvariantCulture)); n = 2; break;
                case "UINT32": BinaryPrimitives.WriteUInt32LittleEndian(b, Convert.ToUInt32(v, CultureInfo.InvariantCulture)); n = 4; break;
                case "UINT64": BinaryPrimitives.WriteUInt64LittleEndian(b, Convert.ToUInt64(v, CultureInfo.InvariantCulture)); n = 8; break;
                case "BOOL": b[0] = (bool)v ? (byte)1 : (byte)0; n = 1; break;
                case "BYTES":
                    byte[] utf8 = Encoding.UTF8.GetBytes((string)v);
                    BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)utf8.Length);
                    bytes.AddRange(b[..4].ToArray());
                    bytes.AddRange(utf8);
                    continue;
                default: throw new ArgumentException(t.Datatype);
            }

            bytes.AddRange(b[..n].ToArray());
        }

        return bytes.ToArray();
    }

    public static CanonicalTensor FromBytes(string name, string datatype, long[] shape, ReadOnlySpan<byte> data)
    {
        static string F(float f) => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : float.IsNaN(f) ? "NaN" : f > 0 ? "Infinity" : "-Infinity";
        var values = new List<string>();
        int o = 0;
        while (o < data.Length)
        {
            ReadOnlySpan<byte> d = data[o..];
            (string text, int n) = datatype switch
            {
                "FP32" => (F(BinaryPrimitives.ReadSingleLittleEndian(d)), 4),
                "FP64" => (DoubleText(BinaryPrimitives.ReadDoubleLittleEndian(d)), 8),
                "FP16" => (F((float)BinaryPrimitives.ReadHalfLittleEndian(d)), 2),
                "BF16" => (F((float)new BFloat16(BinaryPrimitives.ReadUInt16LittleEndian(d))), 2),
                "INT8" => (((sbyte)d[0]).ToString(CultureInfo.InvariantCulture), 1),
                "INT16" => (BinaryPrimitives.ReadInt16LittleEndian(d).ToString(CultureInfo.InvariantCulture), 2),
                "INT32" => (BinaryPrimitives.ReadInt32LittleEndian(d).ToString(CultureInfo.InvariantCulture), 4),
                "INT64" => (BinaryPrimitives.ReadInt64LittleEndian(d).ToString(CultureInfo.InvariantCulture), 8),
                "UINT8" => (d[0].ToString(CultureInfo.InvariantCulture), 1),
                "UINT16" => (BinaryPrimitives.ReadUInt16LittleEndian(d).ToString(CultureInfo.InvariantCulture), 2),
                "UINT32" => (BinaryPrimitives.ReadUInt32LittleEndian(d).ToString(CultureInfo.InvariantCulture), 4),
                "UINT64" => (BinaryPrimitives.ReadUInt64LittleEndian(d).ToString(CultureInfo.InvariantCulture), 8),
                "BOOL" => (d[0] switch { 0 => "false", 1 => "true", var x => throw new ShouldAssertException($"BOOL byte {x}") }, 1),
                "BYTES" => (Encoding.UTF8.GetString(d.Slice(4, (int)BinaryPrimitives.ReadUInt32LittleEndian(d))), 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(d)),
                _ => throw new ArgumentException(datatype),
            };
            values.Add(text);
            o += n;
        }

        return new CanonicalTensor(name, datatype, shape, values.ToArray());
    }

    private static string DoubleText(double d) => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";

    /// <summary>A binary-extension request: <paramref name="binary"/> inputs as binary data, <paramref name="json"/>
    /// inputs as JSON data, outputs binary as <paramref name="binaryOutputs"/> says (null: not mentioned).</summary>
    public static HttpContent BinaryRequest(IEnumerable<TestTensor> binary, IEnumerable<TestTensor>? json = null,
        bool? binaryOutputs = true, IEnumerable<(string Name, bool? Binary)>? outputs = null)
    {
        var inputs = new JsonArray();
        var tail = new List<byte>();
        foreach (TestTensor t in binary)
        {
            byte[] data = t.ToBytes();
            inputs.Add(new JsonObject
            {
                ["name"] = t.Name,
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode?)d).ToArray()),
                ["datatype"] = t.Datatype,
                ["parameters"] = new JsonObject { ["binary_data_size"] = data.Length },
            });
            tail.AddRange(data);
        }

        foreach (TestTensor t in json ?? [])
        {
            inputs.Add(t.ToJson());
        }

        var request = new JsonObject { ["inputs"] = inputs };
        if (binaryOutputs is bool all)
        {
            request["parameters"] = new JsonObject { ["binary_data_output"] = all };
        }

        if (outputs is not null)
        {
            request["outputs"] = new JsonArray(outputs.Select(o => (JsonNode?)(o.Binary is bool b
                ? new JsonObject { ["name"] = o.Name, ["parameters"] = new JsonObject { ["binary_data"] = b } }
                : new JsonObject { ["name"] = o.Name })).ToArray());
        }

        byte[] header = Encoding.UTF8.GetBytes(request.ToJsonString());
        return Framed(header, tail.ToArray(), header.Length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Any framing, including hostile ones: the header length header is sent exactly as given.</summary>
    public static HttpContent Framed(byte[] header, byte[] tail, string? headerLength)
    {
        var content = new ByteArrayContent([.. header, .. tail]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (headerLength is not null)
        {
            content.Headers.TryAddWithoutValidation(HeaderLength, headerLength);
        }

        return content;
    }

    /// <summary>Posts and reads an answer that may be JSON or a binary-extension body; outputs in response order.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Header, List<CanonicalTensor> Outputs)> PostBinaryAsync(
        this HttpClient http, string model, HttpContent content)
    {
        using HttpResponseMessage response = await http.PostAsync($"/v2/models/{model}/infer", content);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        int headerLength = body.Length;
        if (response.Headers.TryGetValues(HeaderLength, out var values) || response.Content.Headers.TryGetValues(HeaderLength, out values))
        {
            headerLength = int.Parse(values.Single(), CultureInfo.InvariantCulture);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/octet-stream");
        }

        JsonElement header = JsonDocument.Parse(body.AsMemory(0, headerLength)).RootElement.Clone();
        var outputs = new List<CanonicalTensor>();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            int offset = headerLength;
            foreach (JsonElement output in header.GetProperty("outputs").EnumerateArray())
            {
                if (output.TryGetProperty("parameters", out JsonElement p) && p.TryGetProperty("binary_data_size", out JsonElement size))
                {
                    output.TryGetProperty("data", out _).ShouldBeFalse();
                    int n = size.GetInt32();
                    outputs.Add(FromBytes(output.GetProperty("name").GetString()!, output.GetProperty("datatype").GetString()!,
                        output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(), body.AsSpan(offset, n)));
                    offset += n;
                }
                else
                {
                    outputs.Add(CanonicalTensor.FromJson(output));
                }
            }

            offset.ShouldBe(body.Length, "binary outputs' sizes add up to the body");
        }

        return (response.StatusCode, header, outputs);
    }

    /// <summary>A ModelInferRequest with every input as raw_input_contents, or (raw: false) as typed contents.</summary>
    public static ModelInferRequest GrpcRequest(string model, IEnumerable<TestTensor> inputs, bool raw = true)
    {
        var request = new ModelInferRequest { ModelName = model, Id = "grpc-test" };
        foreach (TestTensor t in inputs)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = t.Name, Datatype = t.Datatype };
            input.Shape.AddRange(t.Shape);
            if (raw)
            {
                request.RawInputContents.Add(ByteString.CopyFrom(t.ToBytes()));
            }
            else
            {
                input.Contents = Typed(t);
            }

            request.Inputs.Add(input);
        }

        return request;
    }

    private static InferTensorContents Typed(TestTensor t)
    {
        var c = new InferTensorContents();
        IFormatProvider inv = CultureInfo.InvariantCulture;
        foreach (object v in t.Values)
        {
            switch (t.Datatype)
            {
                case "FP32": c.Fp32Contents.Add(Convert.ToSingle(v, inv)); break;
                case "FP64": c.Fp64Contents.Add(Convert.ToDouble(v, inv)); break;
                case "INT8" or "INT16" or "INT32": c.IntContents.Add(Convert.ToInt32(v, inv)); break;
                case "INT64": c.Int64Contents.Add(Convert.ToInt64(v, inv)); break;
                case "UINT8" or "UINT16" or "UINT32": c.UintContents.Add(Convert.ToUInt32(v, inv)); break;
                case "UINT64": c.Uint64Contents.Add(Convert.ToUInt64(v, inv)); break;
                case "BOOL": c.BoolContents.Add((bool)v); break;
                case "BYTES": c.BytesContents.Add(ByteString.CopyFromUtf8((string)v)); break;
                default: throw new ArgumentException($"{t.Datatype} has no typed field");
            }
        }

        return c;
    }

    public static List<CanonicalTensor> Outputs(ModelInferResponse response)
    {
        var result = new List<CanonicalTensor>();
        for (int i = 0; i < response.Outputs.Count; i++)
        {
            var o = response.Outputs[i];
            long[] shape = o.Shape.ToArray();
            if (response.RawOutputContents.Count > 0)
            {
                o.Contents.ShouldBeNull("raw_output_contents and contents are exclusive");
                result.Add(FromBytes(o.Name, o.Datatype, shape, response.RawOutputContents[i].Span));
                continue;
            }

            InferTensorContents c = o.Contents;
            IEnumerable<string> values = o.Datatype switch
            {
                "FP32" => c.Fp32Contents.Select(f => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : float.IsNaN(f) ? "NaN" : f > 0 ? "Infinity" : "-Infinity"),
                "FP64" => c.Fp64Contents.Select(DoubleText),
                "INT8" or "INT16" or "INT32" => c.IntContents.Select(x => x.ToString(CultureInfo.InvariantCulture)),
                "INT64" => c.Int64Contents.Select(x => x.ToString(CultureInfo.InvariantCulture)),
                "UINT8" or "UINT16" or "UINT32" => c.UintContents.Select(x => x.ToString(CultureInfo.InvariantCulture)),
                "UINT64" => c.Uint64Contents.Select(x => x.ToString(CultureInfo.InvariantCulture)),
                "BOOL" => c.BoolContents.Select(x => x ? "true" : "false"),
                "BYTES" => c.BytesContents.Select(x => x.ToStringUtf8()),
                _ => throw new ShouldAssertException($"typed contents for {o.Datatype}"),
            };
            result.Add(new CanonicalTensor(o.Name, o.Datatype, shape, values.ToArray()));
        }

        return result;
    }
}
