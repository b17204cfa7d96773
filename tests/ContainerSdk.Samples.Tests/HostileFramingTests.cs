using System.Globalization;
using System.Net;
using System.Text;
using ContainerSdk.Samples.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Inference;

namespace ContainerSdk.Samples.Tests;

/// <summary>
/// Binary-extension framings and gRPC requests built to break the service (Relu X FP32[-1,4], 64 KiB bodies, 4096
/// elements): each gets 400 with the protocol's error JSON, or INVALID_ARGUMENT / NOT_FOUND with a message, and the
/// service answers a valid request correctly afterwards.
/// </summary>
public sealed class HostileFramingTests(ReluGrpcService fixture) : IClassFixture<ReluGrpcService>
{
    private readonly HttpClient _http = fixture.Http;

    private static readonly byte[] Eight = Wire.ToBytes(TestTensor.Of("X", "FP32", [2, 4], 1f, 2f, 3f, 4f, -1f, 0f, 1f, 0f));

    private static byte[] Header(string shape = "[2,4]", string size = "32", string datatype = "FP32", string extra = "") =>
        Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"X","shape":{{shape}},"datatype":"{{datatype}}","parameters":{"binary_data_size":{{size}}}{{extra}}}]}""");

    private static string Len(byte[] header, int delta = 0) => (header.Length + delta).ToString(CultureInfo.InvariantCulture);

    public static TheoryData<string, byte[], byte[], string?> Framings()
    {
        byte[] h = Header();
        return new()
        {
            { "header length beyond the body", h, Eight, Len(h, Eight.Length + 1) },
            { "header length far beyond the body", h, Eight, "2147483647" },
            { "header length beyond int64", h, Eight, "99999999999999999999999" },
            { "negative header length", h, Eight, "-1" },
            { "non-numeric header length", h, Eight, "abc" },
            { "header length with a sign", h, Eight, "+" + Len(h) },
            { "header length in hex", h, Eight, "0x10" },
            { "empty header length", h, Eight, "" },
            { "two header lengths", h, Eight, Len(h) + "," + Len(h) },
            { "header length cuts the JSON", h, Eight, Len(h, -3) },
            { "binary_data_size disagrees with the shape", Header(size: "28"), Eight[..28], Len(Header(size: "28")) },
            { "binary_data_size larger than the shape", Header(size: "36"), [.. Eight, 0, 0, 0, 0], Len(Header(size: "36")) },
            { "binary_data_size overruns the body", Header(shape: "[3,4]", size: "48"), Eight, Len(Header(shape: "[3,4]", size: "48")) },
            { "binary_data_size huge", Header(shape: "[2,4]", size: "9223372036854775807"), Eight, Len(Header(size: "9223372036854775807")) },
            { "binary_data_size negative", Header(size: "-32"), Eight, Len(Header(size: "-32")) },
            { "binary_data_size fractional", Header(size: "32.5"), Eight, Len(Header(size: "32.5")) },
            { "binary_data_size a string", Header(size: "\"32\""), Eight, Len(Header(size: "\"32\"")) },
            { "trailing bytes", h, [.. Eight, 7], Len(h) },
            { "binary data but no binary input", Encoding.UTF8.GetBytes("""{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}"""), Eight, "74" },
            { "binary_data_size without the header", h, [], null },
            { "both data and binary_data_size", Header(extra: ",\"data\":[1]"), Eight, Len(Header(extra: ",\"data\":[1]")) },
            { "shape over the element limit", Header(shape: "[1025,4]", size: "16400"), Eight, Len(Header(shape: "[1025,4]", size: "16400")) },
            { "raw body not whole rows", [], Eight[..30], "0" },
            { "raw body empty", [], [], "0" },
            { "binary_data_output not a bool", Encoding.UTF8.GetBytes("""{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":32}}],"parameters":{"binary_data_output":"yes"}}"""), Eight, "134" },
        };
    }

    [Theory]
    [MemberData(nameof(Framings))]
    public async Task Hostile_framing_gets_400_with_error_json_and_the_service_stays_up(string what, byte[] header, byte[] tail, string? headerLength)
    {
        if (what == "binary data but no binary input" || what == "binary_data_output not a bool")
        {
            headerLength = header.Length.ToString(CultureInfo.InvariantCulture); // exact, so only the named fault remains
        }

        (await _http.PostRawAsync("/v2/models/relu/infer", Wire.Framed(header, tail, headerLength)))
            .ShouldBeError(HttpStatusCode.BadRequest).ShouldNotBeNull(what);
        await StillAnswers();
    }

    [Fact]
    public async Task Hostile_BOOL_and_BYTES_data_is_refused()
    {
        var types = new OnnxModels.OnnxModelBuilder("bb")
            .Node("Identity", ["flag"], ["flag_out"]).Node("Identity", ["text"], ["text_out"])
            .Input("flag", OnnxModels.OnnxDataType.Bool, "n").Input("text", OnnxModels.OnnxDataType.String, "m")
            .Output("flag_out", OnnxModels.OnnxDataType.Bool, "n").Output("text_out", OnnxModels.OnnxDataType.String, "m").Build();
        string path = TestModels.Write("bb", types);
        await using ServiceProcess service = await ServiceProcess.StartAsync(path, "bb");
        async Task<string> Send(byte[] flag, byte[] text, int textCount)
        {
            byte[] header = Encoding.UTF8.GetBytes($$$"""{"inputs":[{"name":"flag","shape":[{{{flag.Length}}}],"datatype":"BOOL","parameters":{"binary_data_size":{{{flag.Length}}}}},{"name":"text","shape":[{{{textCount}}}],"datatype":"BYTES","parameters":{"binary_data_size":{{{text.Length}}}}}]}""");
            return (await service.Http.PostRawAsync("/v2/models/bb/infer", Wire.Framed(header, [.. flag, .. text], Len(header)))).ShouldBeError(HttpStatusCode.BadRequest);
        }

        (await Send([1, 2], [1, 0, 0, 0, (byte)'a'], 1)).ShouldContain("BOOL");
        (await Send([1], [200, 0, 0, 0, (byte)'a'], 1)).ShouldContain("BYTES element 0");
        (await Send([1], [1, 0, 0], 1)).ShouldContain("4-byte length");
        (await Send([1], [1, 0, 0, 0, (byte)'a', 0], 1)).ShouldContain("after");
        (await Send([1], [0xFF, 0xFF, 0xFF, 0xFF], 1)).ShouldContain("BYTES element 0");
        (await Send([1], [1, 0, 0, 0, (byte)'a'], 2)).ShouldContain("element 1");
        var (status, _, ok) = await service.Http.PostBinaryAsync("bb", Wire.BinaryRequest(
            [TestTensor.Of("flag", "BOOL", [2], true, false), TestTensor.Of("text", "BYTES", [2], "x", "")]));
        status.ShouldBe(HttpStatusCode.OK);
        ok.Single(o => o.Name == "text_out").Values.ShouldBe(["x", ""]);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    public static TheoryData<string, StatusCode> GrpcBadRequests() => new()
    {
        { "unknown model", StatusCode.NotFound },
        { "no inputs", StatusCode.InvalidArgument },
        { "unknown input", StatusCode.InvalidArgument },
        { "wrong datatype", StatusCode.InvalidArgument },
        { "raw too short", StatusCode.InvalidArgument },
        { "raw too long", StatusCode.InvalidArgument },
        { "raw count differs from inputs", StatusCode.InvalidArgument },
        { "raw and typed together", StatusCode.InvalidArgument },
        { "typed count differs from shape", StatusCode.InvalidArgument },
        { "typed field of another type", StatusCode.InvalidArgument },
        { "rank wrong", StatusCode.InvalidArgument },
        { "fixed dimension wrong", StatusCode.InvalidArgument },
        { "negative dimension", StatusCode.InvalidArgument },
        { "shape over the element limit", StatusCode.InvalidArgument },
        { "shape product overflows", StatusCode.InvalidArgument },
        { "input twice", StatusCode.InvalidArgument },
        { "unknown output", StatusCode.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(GrpcBadRequests))]
    public async Task Bad_grpc_requests_get_a_status_with_a_message_and_the_service_stays_up(string what, StatusCode expected)
    {
        ModelInferRequest request = Wire.GrpcRequest("relu", [TestTensor.Of("X", "FP32", [2, 4], 1f, 2f, 3f, 4f, -1f, 0f, 1f, 0f)]);
        var input = request.Inputs[0];
        switch (what)
        {
            case "unknown model": request.ModelName = "nope"; break;
            case "no inputs": request.Inputs.Clear(); request.RawInputContents.Clear(); break;
            case "unknown input": input.Name = "Y"; break;
            case "wrong datatype": input.Datatype = "FP64"; break;
            case "raw too short": request.RawInputContents[0] = ByteString.CopyFrom(Eight[..31]); break;
            case "raw too long": request.RawInputContents[0] = ByteString.CopyFrom([.. Eight, 0]); break;
            case "raw count differs from inputs": request.RawInputContents.Add(ByteString.CopyFrom(Eight)); break;
            case "raw and typed together": input.Contents = new InferTensorContents(); input.Contents.Fp32Contents.Add(new float[8]); break;
            case "typed count differs from shape":
                request.RawInputContents.Clear();
                input.Contents = new InferTensorContents();
                input.Contents.Fp32Contents.Add(new float[7]);
                break;
            case "typed field of another type":
                request.RawInputContents.Clear();
                input.Contents = new InferTensorContents();
                input.Contents.IntContents.Add(new int[8]);
                break;
            case "rank wrong": input.Shape.Clear(); input.Shape.Add(8); break;
            case "fixed dimension wrong": input.Shape[1] = 8; input.Shape[0] = 1; break;
            case "negative dimension": input.Shape[0] = -2; input.Shape[1] = -4; break;
            case "shape over the element limit": input.Shape[0] = 1_000_000_000; break;
            case "shape product overflows": input.Shape[0] = 4611686018427387904; break;
            case "input twice": request.Inputs.Add(input.Clone()); request.RawInputContents.Add(ByteString.CopyFrom(Eight)); break;
            case "unknown output": request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "Z" }); break;
        }

        var error = await Should.ThrowAsync<RpcException>(() => fixture.Grpc.ModelInferAsync(request).ResponseAsync);
        error.StatusCode.ShouldBe(expected, $"{what}: {error.Status.Detail}");
        error.Status.Detail.ShouldNotBeNullOrWhiteSpace();
        await StillAnswers();
    }

    [Fact]
    public async Task Many_hostile_requests_at_once_do_not_disturb_good_ones()
    {
        var framings = Framings().Select(row => ((byte[])row[1], (byte[])row[2], (string?)row[3])).ToArray();
        var bad = Enumerable.Range(0, 100).Select(async i =>
        {
            var (h, t, l) = framings[i % framings.Length];
            return (await _http.PostRawAsync("/v2/models/relu/infer", Wire.Framed(h, t, l))).Status;
        });
        var good = Enumerable.Range(0, 20).Select(async _ =>
        {
            var (status, _, outputs) = await _http.PostBinaryAsync("relu", Wire.BinaryRequest([TestTensor.Of("X", "FP32", [2, 4], 1f, 2f, 3f, 4f, -1f, 0f, 1f, 0f)]));
            return status == HttpStatusCode.OK && outputs[0].Values.SequenceEqual(["2.5", "5", "0", "0", "2", "1"]);
        });
        var grpc = Enumerable.Range(0, 20).Select(async _ =>
        {
            var response = await fixture.Grpc.ModelInferAsync(Wire.GrpcRequest("relu", [TestTensor.Of("X", "FP32", [2, 4], 1f, 2f, 3f, 4f, -1f, 0f, 1f, 0f)]));
            return Wire.Outputs(response)[0].Values.SequenceEqual(["2.5", "5", "0", "0", "2", "1"]);
        });
        (await Task.WhenAll(bad)).ShouldAllBe(s => s == HttpStatusCode.BadRequest);
        (await Task.WhenAll(good)).ShouldAllBe(ok => ok);
        (await Task.WhenAll(grpc)).ShouldAllBe(ok => ok);
    }

    private async Task StillAnswers()
    {
        var (status, header, outputs) = await _http.PostBinaryAsync("relu", Wire.BinaryRequest([TestTensor.Of("X", "FP32", [2, 4], 1f, 2f, 3f, 4f, -1f, 0f, 1f, 0f)]));
        status.ShouldBe(HttpStatusCode.OK, $"{header.GetRawText()}\n{fixture.Service}");
        outputs[0].Values.ShouldBe(["2.5", "5", "0", "0", "2", "1"]);
    }
}
