using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerSdk.Samples.Tests.Infrastructure;
using OnnxModels;

namespace ContainerSdk.Samples.Tests;

/// <summary>The KServe v2 REST endpoints on the sample's own model, and the request the image tests send.</summary>
public sealed class ProtocolTests(ReluService fixture) : IClassFixture<ReluService>
{
    private readonly HttpClient _http = fixture.Http;

    private const string ImageTestRequest = """{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,-1,0,1,0]}]}""";

    [Fact]
    public async Task Infer_returns_Relu_of_XW_plus_B_for_the_image_tests_request()
    {
        var (status, body) = await _http.PostRawAsync("/v2/models/relu/infer", ImageTestRequest);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("model_name").GetString().ShouldBe("relu");
        body.TryGetProperty("id", out _).ShouldBeFalse();
        JsonElement output = body.GetProperty("outputs").EnumerateArray().Single();
        output.GetProperty("name").GetString().ShouldBe("Y");
        output.GetProperty("datatype").GetString().ShouldBe("FP32");
        output.GetProperty("shape").GetRawText().ShouldBe("[2,3]");
        output.GetProperty("data").GetRawText().ShouldBe("[2.5,5,0,0,2,1]");
    }

    [Fact]
    public async Task Infer_matches_OnnxRuntime_in_process_for_a_random_batch_of_64_sent_as_nested_arrays()
    {
        var random = new Random(5);
        float[] x = Enumerable.Range(0, 64 * 4).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        var nested = new JsonArray(Enumerable.Range(0, 64).Select(r => (JsonNode)new JsonArray(x.Skip(r * 4).Take(4).Select(v => (JsonNode)v).ToArray())).ToArray());
        string request = new JsonObject
        {
            ["id"] = "batch-64",
            ["inputs"] = new JsonArray(new JsonObject { ["name"] = "X", ["shape"] = new JsonArray(64, 4), ["datatype"] = "FP32", ["data"] = nested }),
        }.ToJsonString();

        var (status, body) = await _http.PostRawAsync("/v2/models/relu/infer", request);

        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("id").GetString().ShouldBe("batch-64");
        CanonicalTensor actual = CanonicalTensor.FromJson(body.GetProperty("outputs")[0]);
        actual.ShouldMatch(OrtReference.Run(fixture.Model, [TestTensor.Of("X", "FP32", [64, 4], x)])[0]);
    }

    [Fact]
    public async Task Empty_batch_is_a_valid_request()
    {
        var (status, body) = await _http.PostRawAsync("/v2/models/relu/infer", """{"inputs":[{"name":"X","shape":[0,4],"datatype":"FP32","data":[]}]}""");
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("outputs")[0].GetProperty("shape").GetRawText().ShouldBe("[0,3]");
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_answer()
    {
        var tasks = Enumerable.Range(0, 24).Select(async i =>
        {
            float[] x = [i, -i, i / 2f, 1];
            var (status, body) = await _http.InferAsync("relu", TestTensor.Of("X", "FP32", [1, 4], x));
            status.ShouldBe(HttpStatusCode.OK);
            return (x, y: body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        });
        foreach (var (x, y) in await Task.WhenAll(tasks))
        {
            y.ShouldBe(ReluModel.Evaluate(x));
        }
    }

    [Fact]
    public async Task Server_metadata_and_health()
    {
        var (status, server) = await _http.GetJsonAsync("/v2");
        status.ShouldBe(HttpStatusCode.OK);
        server.GetProperty("name").GetString().ShouldNotBeNullOrEmpty();
        server.GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
        server.GetProperty("extensions").ValueKind.ShouldBe(JsonValueKind.Array);

        var (liveStatus, live) = await _http.GetJsonAsync("/v2/health/live");
        liveStatus.ShouldBe(HttpStatusCode.OK);
        live.GetProperty("live").GetBoolean().ShouldBeTrue();

        foreach (string path in new[] { "/v2/health/ready", "/v2/models/relu/ready" })
        {
            var (readyStatus, ready) = await _http.GetJsonAsync(path);
            readyStatus.ShouldBe(HttpStatusCode.OK, path);
            ready.GetProperty("ready").GetBoolean().ShouldBeTrue();
            ready.GetProperty("parameters").GetProperty("provider").GetString().ShouldBe("CPUExecutionProvider");
        }

        (await _http.GetStringAsync("/healthz")).ShouldBe("ok CPUExecutionProvider");
    }

    [Fact]
    public async Task Model_metadata_is_read_from_the_model_with_minus_one_for_dynamic_dimensions()
    {
        var (status, meta) = await _http.GetJsonAsync("/v2/models/relu");
        status.ShouldBe(HttpStatusCode.OK);
        meta.GetProperty("name").GetString().ShouldBe("relu");
        meta.GetProperty("platform").GetString().ShouldBe("onnxruntime_onnx");
        meta.GetProperty("inputs").GetRawText().ShouldBe("""[{"name":"X","datatype":"FP32","shape":[-1,4]}]""");
        meta.GetProperty("outputs").GetRawText().ShouldBe("""[{"name":"Y","datatype":"FP32","shape":[-1,3]}]""");
        meta.GetProperty("parameters").GetProperty("provider").GetString().ShouldBe("CPUExecutionProvider");
        meta.GetProperty("parameters").GetProperty("onnxruntime_version").GetString()!.ShouldMatch(@"^\d+\.\d+\.\d+");
    }

    [Theory]
    [InlineData("GET", "/v2/models/resnet")]
    [InlineData("GET", "/v2/models/resnet/ready")]
    [InlineData("POST", "/v2/models/resnet/infer")]
    [InlineData("POST", "/v2/models/RELU/infer")]
    [InlineData("GET", "/v2/nothing/here")]
    [InlineData("DELETE", "/v2/models/relu")]
    public async Task Unknown_models_and_paths_get_404_with_error_json(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent(ImageTestRequest) : null };
        using HttpResponseMessage response = await _http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Metrics_count_requests_by_route_and_status_and_time_inference()
    {
        (await _http.PostRawAsync("/v2/models/relu/infer", ImageTestRequest)).Status.ShouldBe(HttpStatusCode.OK);
        (await _http.PostRawAsync("/v2/models/relu/infer", "{")).Status.ShouldBe(HttpStatusCode.BadRequest);
        await _http.GetAsync("/some/random/path/" + Guid.NewGuid());

        using HttpResponseMessage response = await _http.GetAsync("/metrics");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldStartWith("text/plain; version=0.0.4");
        string text = await response.Content.ReadAsStringAsync();

        Counter(text, """http_requests_total{route="/v2/models/{name}/infer",method="POST",status="200"}""").ShouldBeGreaterThanOrEqualTo(1);
        Counter(text, """http_requests_total{route="/v2/models/{name}/infer",method="POST",status="400"}""").ShouldBeGreaterThanOrEqualTo(1);
        // Raw paths never become labels: whatever clients request, the label set stays fixed.
        text.ShouldNotContain("/some/random/path");
        Counter(text, """http_requests_total{route="unmatched",method="GET",status="404"}""").ShouldBeGreaterThanOrEqualTo(1);
        Counter(text, """http_request_duration_seconds_count{route="/v2/models/{name}/infer"}""").ShouldBeGreaterThanOrEqualTo(2);
        Counter(text, """http_request_duration_seconds_bucket{route="/v2/models/{name}/infer",le="+Inf"}""").ShouldBeGreaterThanOrEqualTo(2);
        Counter(text, """inference_duration_seconds_count{model="relu",provider="CPUExecutionProvider"}""").ShouldBeGreaterThanOrEqualTo(1);
        Counter(text, """model_ready{model="relu",provider="CPUExecutionProvider"}""").ShouldBe(1);
        text.ShouldContain("# TYPE http_request_duration_seconds histogram");
        text.ShouldContain("# TYPE inference_duration_seconds histogram");

        // Buckets are cumulative and the +Inf bucket equals the count.
        double[] buckets = text.Split('\n').Where(l => l.StartsWith("""inference_duration_seconds_bucket{""", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        buckets.ShouldBe(buckets.Order().ToArray());
        buckets[^1].ShouldBe(Counter(text, """inference_duration_seconds_count{model="relu",provider="CPUExecutionProvider"}"""));
    }

    [Fact]
    public async Task Probe_exits_0_on_2xx_and_1_otherwise_without_starting_the_web_host()
    {
        ServiceProcess service = fixture.Service;
        string ready = new Uri(service.BaseAddress, "/v2/health/ready").ToString();

        var healthy = await ServiceProcess.RunToExitAsync(["--containersdk-probe", ready]);
        healthy.ExitCode.ShouldBe(0, healthy.Output);
        healthy.Output.ShouldContain("200");
        // One GET, no host: no model loaded, nothing listening, nothing logged by ASP.NET Core.
        healthy.Output.ShouldNotContain("Now listening");
        healthy.Output.ShouldNotContain("Loaded model");

        var equalsForm = await ServiceProcess.RunToExitAsync([$"--containersdk-probe={ready}"]);
        equalsForm.ExitCode.ShouldBe(0, equalsForm.Output);

        var notFound = await ServiceProcess.RunToExitAsync(["--containersdk-probe", new Uri(service.BaseAddress, "/v2/models/nope/ready").ToString()]);
        notFound.ExitCode.ShouldBe(1, notFound.Output);
        notFound.Output.ShouldContain("404");
    }

    private static double Counter(string metrics, string series)
    {
        string? line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        line.ShouldNotBeNull($"series {series} missing from:\n{metrics}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
