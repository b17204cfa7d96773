using System.Net;
using System.Text.Json;
using ContainerSdk.Samples.Tests.Infrastructure;
using Grpc.Core;
using Inference;

namespace ContainerSdk.Samples.Tests;

/// <summary>The same model and inputs over JSON, the binary tensor data extension and gRPC (raw and typed contents):
/// every datatype ORT supports comes back identical, and identical to ORT run in-process.</summary>
public sealed class BinaryAndGrpcTests(TypesGrpcService fixture) : IClassFixture<TypesGrpcService>
{
    private readonly HttpClient _http = fixture.Http;

    private static TestTensor[] AllInputs() =>
    [
        TestTensor.Of("fp32", "FP32", [5], 1.5f, -0f, 3.4028235e38f, 1e-45f, -7.25f),
        TestTensor.Of("fp64", "FP64", [3], 1e300, -2.5e-300, Math.PI),
        TestTensor.Of("fp16", "FP16", [2, 3, 2], 65504f, -65504f, 0.5f, 0.099975586f, 6.1e-5f, 1f, 2f, 3f, -4f, 5f, 0f, 1024f),
        TestTensor.Of("bf16", "BF16", [3], 1.5f, -3.0e38f, 0.0078125f),
        TestTensor.Of("i8", "INT8", [3], -128, 0, 127),
        TestTensor.Of("i16", "INT16", [2], short.MinValue, short.MaxValue),
        TestTensor.Of("i32", "INT32", [], int.MinValue),
        TestTensor.Of("i64", "INT64", [2], long.MinValue, long.MaxValue),
        TestTensor.Of("u8", "UINT8", [3], 0, 128, 255),
        TestTensor.Of("u16", "UINT16", [1], ushort.MaxValue),
        TestTensor.Of("u32", "UINT32", [1], uint.MaxValue),
        TestTensor.Of("u64", "UINT64", [2], 0UL, ulong.MaxValue),
        TestTensor.Of("flag", "BOOL", [3], true, false, true),
        TestTensor.Of("text", "BYTES", [3], "plain", "", "h\u00e9llo \u2713 \"quoted\" \\ \n"),
    ];

    /// <summary>Non-finite values JSON cannot carry: binary and gRPC must pass them through bit for bit.</summary>
    private static TestTensor[] NonFiniteInputs() => AllInputs().Select(t => t.Name switch
    {
        "fp32" => TestTensor.Of("fp32", "FP32", [4], float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1f),
        "fp64" => TestTensor.Of("fp64", "FP64", [3], double.NaN, double.NegativeInfinity, double.PositiveInfinity),
        "fp16" => TestTensor.Of("fp16", "FP16", [2, 1, 2], float.PositiveInfinity, float.NaN, float.NegativeInfinity, 0f),
        "bf16" => TestTensor.Of("bf16", "BF16", [2], float.NaN, float.NegativeInfinity),
        _ => t,
    }).ToArray();

    private void ShouldMatchOrt(IEnumerable<CanonicalTensor> actual, TestTensor[] inputs)
    {
        var byName = actual.ToDictionary(t => t.Name);
        IReadOnlyList<CanonicalTensor> expected = OrtReference.Run(fixture.Model, inputs);
        byName.Count.ShouldBe(expected.Count);
        foreach (CanonicalTensor reference in expected)
        {
            byName[reference.Name].ShouldMatch(reference);
        }
    }

    [Fact]
    public async Task Json_binary_and_grpc_give_the_same_outputs_for_every_datatype()
    {
        TestTensor[] inputs = AllInputs();
        var (jsonStatus, jsonBody) = await _http.InferAsync("types", inputs);
        jsonStatus.ShouldBe(HttpStatusCode.OK, jsonBody.GetRawText());
        List<CanonicalTensor> json = jsonBody.GetProperty("outputs").EnumerateArray().Select(CanonicalTensor.FromJson).ToList();
        ShouldMatchOrt(json, inputs);

        var (binaryStatus, header, binary) = await _http.PostBinaryAsync("types", Wire.BinaryRequest(inputs));
        binaryStatus.ShouldBe(HttpStatusCode.OK, header.GetRawText());
        header.GetProperty("outputs").EnumerateArray().ShouldAllBe(o => o.GetProperty("parameters").GetProperty("binary_data_size").GetInt64() >= 0);
        ShouldMatchOrt(binary, inputs);

        ModelInferResponse raw = await fixture.Grpc.ModelInferAsync(Wire.GrpcRequest("types", inputs));
        raw.Id.ShouldBe("grpc-test");
        raw.RawOutputContents.Count.ShouldBe(raw.Outputs.Count);
        ShouldMatchOrt(Wire.Outputs(raw), inputs);

        // Typed contents exist for all but FP16/BF16; a model with those outputs answers raw, which the spec allows.
        TestTensor[] typedInputs = inputs.Where(t => t.Datatype is not ("FP16" or "BF16")).ToArray();
        var typedRequest = Wire.GrpcRequest("types", typedInputs, raw: false);
        typedRequest.Inputs.Add(Wire.GrpcRequest("types", inputs.Where(t => t.Datatype is "FP16" or "BF16")).Inputs);
        (await Should.ThrowAsync<RpcException>(() => fixture.Grpc.ModelInferAsync(typedRequest).ResponseAsync))
            .StatusCode.ShouldBe(StatusCode.InvalidArgument, "FP16 has no typed field");
    }

    [Fact]
    public async Task Typed_grpc_contents_round_trip_and_come_back_typed()
    {
        var model = new OnnxModels.OnnxModelBuilder("typed")
            .Node("Identity", ["i8"], ["i8_out"]).Node("Identity", ["u16"], ["u16_out"]).Node("Identity", ["text"], ["text_out"])
            .Node("Identity", ["flag"], ["flag_out"]).Node("Identity", ["fp64"], ["fp64_out"])
            .Input("i8", OnnxModels.OnnxDataType.Int8, "a").Input("u16", OnnxModels.OnnxDataType.UInt16, "b")
            .Input("text", OnnxModels.OnnxDataType.String, "c").Input("flag", OnnxModels.OnnxDataType.Bool, "d")
            .Input("fp64", OnnxModels.OnnxDataType.Double, "e")
            .Output("i8_out", OnnxModels.OnnxDataType.Int8, "a").Output("u16_out", OnnxModels.OnnxDataType.UInt16, "b")
            .Output("text_out", OnnxModels.OnnxDataType.String, "c").Output("flag_out", OnnxModels.OnnxDataType.Bool, "d")
            .Output("fp64_out", OnnxModels.OnnxDataType.Double, "e")
            .Build();
        string path = TestModels.Write("typed", model);
        int port = ServiceProcess.FreePort();
        await using ServiceProcess service = await ServiceProcess.StartAsync(path, "typed", $"--Grpc:Port={port}");
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        TestTensor[] inputs =
        [
            TestTensor.Of("i8", "INT8", [3], -128, 0, 127),
            TestTensor.Of("u16", "UINT16", [2], 0, 65535),
            TestTensor.Of("text", "BYTES", [2], "a", "\u2713"),
            TestTensor.Of("flag", "BOOL", [2], true, false),
            TestTensor.Of("fp64", "FP64", [2], double.NaN, -1.5),
        ];
        ModelInferResponse typed = await client.ModelInferAsync(Wire.GrpcRequest("typed", inputs, raw: false));
        typed.RawOutputContents.ShouldBeEmpty();
        var expected = OrtReference.Run(model, inputs).ToDictionary(t => t.Name);
        foreach (CanonicalTensor output in Wire.Outputs(typed))
        {
            output.ShouldMatch(expected[output.Name]);
        }

        // Out of range for the tensor's own type: refused, not truncated.
        var bad = Wire.GrpcRequest("typed", inputs, raw: false);
        bad.Inputs[0].Contents.IntContents[0] = 300;
        var error = await Should.ThrowAsync<RpcException>(() => client.ModelInferAsync(bad).ResponseAsync);
        error.StatusCode.ShouldBe(StatusCode.InvalidArgument);
        error.Status.Detail.ShouldContain("'i8'");
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task Inf_and_NaN_round_trip_in_binary_and_grpc()
    {
        TestTensor[] inputs = NonFiniteInputs();
        var (status, header, binary) = await _http.PostBinaryAsync("types", Wire.BinaryRequest(inputs));
        status.ShouldBe(HttpStatusCode.OK, header.GetRawText());
        ShouldMatchOrt(binary, inputs);
        binary.Single(t => t.Name == "fp32_out").Values.ShouldBe(["Infinity", "-Infinity", "NaN", "1"]);
        binary.Single(t => t.Name == "fp16_out").Values.ShouldBe(["Infinity", "NaN", "-Infinity", "0"]);

        ShouldMatchOrt(Wire.Outputs(await fixture.Grpc.ModelInferAsync(Wire.GrpcRequest("types", inputs))), inputs);
    }

    [Fact]
    public async Task Json_and_binary_inputs_and_outputs_mix_in_one_request()
    {
        TestTensor[] all = AllInputs();
        TestTensor[] binaryInputs = all.Where((_, i) => i % 2 == 0).ToArray();
        TestTensor[] jsonInputs = all.Where((_, i) => i % 2 == 1).ToArray();
        // Request-wide binary output, overridden to JSON for one output; one more output binary by its own flag.
        var content = Wire.BinaryRequest(binaryInputs, jsonInputs, binaryOutputs: true,
            outputs: [("text_out", false), ("fp16_out", null), ("u64_out", true), ("fp32_as_i32", false)]);
        var (status, header, outputs) = await _http.PostBinaryAsync("types", content);
        status.ShouldBe(HttpStatusCode.OK, header.GetRawText());
        var byName = header.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        byName["text_out"].TryGetProperty("data", out _).ShouldBeTrue();
        byName["fp32_as_i32"].TryGetProperty("data", out _).ShouldBeTrue();
        byName["fp16_out"].GetProperty("parameters").GetProperty("binary_data_size").GetInt64().ShouldBe(24);
        byName["u64_out"].GetProperty("parameters").GetProperty("binary_data_size").GetInt64().ShouldBe(16);
        var expected = OrtReference.Run(fixture.Model, all).ToDictionary(t => t.Name);
        outputs.Select(o => o.Name).ShouldBe(["text_out", "fp16_out", "u64_out", "fp32_as_i32"]);
        foreach (CanonicalTensor output in outputs)
        {
            output.ShouldMatch(expected[output.Name]);
        }

        // A plain JSON request may ask for binary outputs too.
        var (jsonStatus, jsonHeader, jsonOutputs) = await _http.PostBinaryAsync("types", Wire.BinaryRequest([], all, binaryOutputs: true));
        jsonStatus.ShouldBe(HttpStatusCode.OK, jsonHeader.GetRawText());
        ShouldMatchOrt(jsonOutputs, all);
    }

    [Fact]
    public async Task Metadata_lists_the_extension_and_grpc_serves_the_protocols_metadata_calls()
    {
        var (_, server) = await _http.GetJsonAsync("/v2");
        server.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ShouldContain("binary_tensor_data");

        (await fixture.Grpc.ServerLiveAsync(new ServerLiveRequest())).Live.ShouldBeTrue();
        (await fixture.Grpc.ServerReadyAsync(new ServerReadyRequest())).Ready.ShouldBeTrue();
        (await fixture.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "types" })).Ready.ShouldBeTrue();
        ServerMetadataResponse meta = await fixture.Grpc.ServerMetadataAsync(new ServerMetadataRequest());
        meta.Extensions.ShouldContain("binary_tensor_data");
        meta.Name.ShouldBe(server.GetProperty("name").GetString());
        ModelMetadataResponse model = await fixture.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = "types" });
        model.Platform.ShouldBe("onnxruntime_onnx");
        var fp16 = model.Inputs.Single(i => i.Name == "fp16");
        fp16.Datatype.ShouldBe("FP16");
        fp16.Shape.ShouldBe([2L, -1L, 2L]);

        var missing = await Should.ThrowAsync<RpcException>(() => fixture.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = "nope" }).ResponseAsync);
        missing.StatusCode.ShouldBe(StatusCode.NotFound);
        missing.Status.Detail.ShouldContain("'nope'");
    }

    [Fact]
    public async Task Metrics_count_requests_per_protocol()
    {
        await _http.InferAsync("types", AllInputs());
        await _http.PostBinaryAsync("types", Wire.BinaryRequest(AllInputs()));
        await fixture.Grpc.ModelInferAsync(Wire.GrpcRequest("types", AllInputs()));
        await Should.ThrowAsync<RpcException>(() => fixture.Grpc.ModelInferAsync(new ModelInferRequest { ModelName = "types" }).ResponseAsync);
        string metrics = await _http.GetStringAsync("/metrics");
        metrics.ShouldContain("protocol=\"json\",code=\"200\"");
        metrics.ShouldContain("protocol=\"binary\",code=\"200\"");
        metrics.ShouldContain("protocol=\"grpc\",code=\"OK\"");
        metrics.ShouldContain("protocol=\"grpc\",code=\"InvalidArgument\"");
        metrics.ShouldContain("inference_request_duration_seconds_count{model=\"types\",provider=\"CPUExecutionProvider\",protocol=\"grpc\"}");
    }
}

/// <summary>A raw binary request (Inference-Header-Content-Length: 0): the body is the single input's bytes.</summary>
public sealed class RawBinaryRequestTests(LogicGrpcService fixture) : IClassFixture<LogicGrpcService>
{
    [Fact]
    public async Task The_body_is_the_one_inputs_data_its_shape_deduced_and_every_output_binary()
    {
        var (status, header, outputs) = await fixture.Http.PostBinaryAsync("logic", Wire.Framed([], [1, 0, 0, 0, 1, 1], "0"));
        status.ShouldBe(HttpStatusCode.OK, header.GetRawText());
        CanonicalTensor output = outputs.Single();
        output.Shape.ShouldBe([2L, 3L]);
        output.Values.ShouldBe(["false", "true", "true", "true", "false", "false"]);

        // Seven bytes are not whole rows of [batch, 3].
        var (bad, error, _) = await fixture.Http.PostBinaryAsync("logic", Wire.Framed([], [1, 0, 0, 0, 1, 1, 1], "0"));
        bad.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetString()!.ShouldContain("does not fit");
    }
}
