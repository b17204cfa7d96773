using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ContainerSdk.Samples.Tests.Infrastructure;

namespace ContainerSdk.Samples.Tests;

/// <summary>
/// Requests built to break the service: each gets a 4xx with the protocol's error JSON, and after each one the
/// service still answers a valid request correctly. The service runs with small limits (64 KiB bodies, 4096
/// elements) so "too large" is cheap to send.
/// </summary>
public sealed class HostileRequestTests(LimitedReluService fixture) : IClassFixture<LimitedReluService>
{
    private readonly HttpClient _http = fixture.Http;

    private const string Valid = """{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,-1,0,1,0]}]}""";

    private static string X(string shape, string data, string datatype = "\"FP32\"") =>
        $$"""{"inputs":[{"name":"X","shape":{{shape}},"datatype":{{datatype}},"data":{{data}}}]}""";

    public static TheoryData<string, string> BadRequests() => new()
    {
        // Not JSON, or not the request object.
        { "empty body", "" },
        { "truncated JSON", """{"inputs":[{"name":"X""" },
        { "trailing garbage", Valid + "}" },
        { "single quotes", "{'inputs':[]}" },
        { "JSON null", "null" },
        { "JSON array", "[]" },
        { "JSON number", "42" },
        { "JSON string", "\"inputs\"" },
        { "nesting 20000 deep", new string('[', 20_000) + new string(']', 20_000) },
        { "data nested 70 deep", X("[2,4]", new string('[', 70) + "1" + new string(']', 70)) },
        // The inputs list.
        { "no inputs", "{}" },
        { "inputs not an array", """{"inputs":{"name":"X"}}""" },
        { "inputs empty", """{"inputs":[]}""" },
        { "input not an object", """{"inputs":[42]}""" },
        { "input without name", """{"inputs":[{"shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""" },
        { "name not a string", """{"inputs":[{"name":7,"shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""" },
        { "unknown input", """{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""" },
        { "input twice", """{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""" },
        // Datatype.
        { "no datatype", """{"inputs":[{"name":"X","shape":[1,4],"data":[1,2,3,4]}]}""" },
        { "wrong datatype", X("[1,4]", "[1,2,3,4]", "\"INT64\"") },
        { "lowercase datatype", X("[1,4]", "[1,2,3,4]", "\"fp32\"") },
        { "unknown datatype", X("[1,4]", "[1,2,3,4]", "\"FP8\"") },
        { "datatype not a string", X("[1,4]", "[1,2,3,4]", "1") },
        // Shape.
        { "no shape", """{"inputs":[{"name":"X","datatype":"FP32","data":[1,2,3,4]}]}""" },
        { "shape not an array", X("\"1,4\"", "[1,2,3,4]") },
        { "negative dimension", X("[-1,4]", "[1,2,3,4]") },
        { "fractional dimension", X("[1.5,4]", "[1,2,3,4]") },
        { "dimension beyond int64", X("[99999999999999999999,4]", "[1,2,3,4]") },
        { "string dimension", X("[\"1\",4]", "[1,2,3,4]") },
        { "rank too low", X("[8]", "[1,2,3,4,-1,0,1,0]") },
        { "rank too high", X("[2,4,1]", "[1,2,3,4,-1,0,1,0]") },
        { "fixed dimension wrong", X("[1,5]", "[1,2,3,4,5]") },
        { "shape beyond the element limit", X("[1000000000,4]", "[1,2,3,4]") },
        { "shape whose product overflows int64", X("[4611686018427387904,4]", "[1,2,3,4]") },
        { "shape over the element limit by one row", X("[1025,4]", "[1,2,3,4]") },
        { "40 dimensions", X("[" + string.Join(",", Enumerable.Repeat("1", 40)) + "]", "[1]") },
        // Data.
        { "no data", """{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32"}]}""" },
        { "data an object", X("[1,4]", """{"0":1}""") },
        { "data a string", X("[1,4]", "\"1,2,3,4\"") },
        { "data a number", X("[1,4]", "1") },
        { "too few values", X("[2,4]", "[1,2,3,4]") },
        { "too many values", X("[1,4]", "[1,2,3,4,5]") },
        { "NaN string", X("[1,4]", "[1,\"NaN\",3,4]") },
        { "Infinity string", X("[1,4]", "[1,\"Infinity\",3,4]") },
        { "bare NaN token", X("[1,4]", "[1,NaN,3,4]") },
        { "float overflow", X("[1,4]", "[1,1e39,3,4]") },
        { "null value", X("[1,4]", "[1,null,3,4]") },
        { "boolean value", X("[1,4]", "[1,true,3,4]") },
        { "hex number", X("[1,4]", "[1,0x10,3,4]") },
        // Other fields.
        { "id a number", """{"id":5,"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""" },
        { "outputs not an array", """{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":"Y"}""" },
        { "unknown output", """{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"Z"}]}""" },
        { "output twice", """{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"Y"},{"name":"Y"}]}""" },
        { "output not an object", """{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":["Y"]}""" },
        { "binary data extension", """{"inputs":[{"name":"X","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16},"data":[]}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_request_gets_400_with_error_json_and_the_service_stays_up(string what, string body)
    {
        (await _http.PostRawAsync("/v2/models/relu/infer", body)).ShouldBeError(HttpStatusCode.BadRequest).ShouldNotBeNull(what);
        await ServiceStillAnswersCorrectly();
    }

    [Theory]
    [InlineData("{\"inputs\":[{\"name\":\"X", "\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")]
    [InlineData("{\"inputs\":[{\"name\":\"X\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,\"", "\",3,4]}]}")]
    [InlineData("{\"inputs\":[{\"name\":\"X\",\"shape\":[1,\"", "\",4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")]
    [InlineData("{\"id\":\"", "\",\"inputs\":[{\"name\":\"X\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")]
    [InlineData("{\"inputs\":[{\"name\":\"X\",\"shape\":[1,4],\"datatype\":\"", "\",\"data\":[1,2,3,4]}]}")]
    public async Task Invalid_utf8_in_any_string_is_a_400(string before, string after)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(after)];
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        (await _http.PostRawAsync("/v2/models/relu/infer", content)).ShouldBeError(HttpStatusCode.BadRequest);
        await ServiceStillAnswersCorrectly();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_whether_its_length_is_declared_or_chunked()
    {
        // Valid JSON, so only its size can be the reason: 96 KiB against a 64 KiB limit. Small enough to sit in the
        // loopback socket buffers, so the client has sent it all before the server answers 413 and closes (a larger
        // body races that close and can see a reset instead of the response).
        string huge = X("[1,4]", "[1,2,3,4]").Replace("\"FP32\"", "\"FP32\"" + new string(' ', 96 * 1024));
        // Kestrel closes the connection after a 413; a client of their own (Connection: close, no pooling) keeps that
        // close from reaching the shared client's pool, where the next request could pick up the dead connection.
        using var oversize = new HttpClient { BaseAddress = _http.BaseAddress };
        oversize.DefaultRequestHeaders.ConnectionClose = true;
        (await oversize.PostRawAsync("/v2/models/relu/infer", huge)).ShouldBeError(HttpStatusCode.RequestEntityTooLarge);

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/relu/infer") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var chunkedClient = new HttpClient { BaseAddress = _http.BaseAddress };
        chunkedClient.DefaultRequestHeaders.ConnectionClose = true;
        using HttpResponseMessage response = await chunkedClient.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"error\"");

        await ServiceStillAnswersCorrectly();
    }

    [Fact]
    public async Task A_binary_extension_header_that_covers_the_whole_body_is_a_plain_JSON_request()
    {
        var content = new StringContent(Valid, Encoding.UTF8, "application/json");
        content.Headers.Add("Inference-Header-Content-Length", Valid.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (status, body) = await _http.PostRawAsync("/v2/models/relu/infer", content);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("outputs")[0].GetProperty("data").GetRawText().ShouldBe("[2.5,5,0,0,2,1]");
    }

    [Fact]
    public async Task Many_bad_requests_at_once_do_not_disturb_good_ones()
    {
        string[] bodies = BadRequests().Select(row => (string)row[1]).ToArray();
        var bad = Enumerable.Range(0, 120).Select(i => _http.PostRawAsync("/v2/models/relu/infer", bodies[i % bodies.Length]));
        var good = Enumerable.Range(0, 20).Select(_ => _http.PostRawAsync("/v2/models/relu/infer", Valid));
        var answers = await Task.WhenAll(bad.Concat(good));
        answers.Take(120).ShouldAllBe(a => a.Status == HttpStatusCode.BadRequest);
        answers.Skip(120).ShouldAllBe(a => a.Status == HttpStatusCode.OK && a.Body.GetProperty("outputs")[0].GetProperty("data").GetRawText() == "[2.5,5,0,0,2,1]");
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_body_does_not_hurt_the_service()
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(fixture.Service.BaseAddress.Host, fixture.Service.BaseAddress.Port);
        await using (var stream = client.GetStream())
        {
            byte[] head = Encoding.ASCII.GetBytes("POST /v2/models/relu/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"inputs\":[");
            await stream.WriteAsync(head);
        }

        client.Close();
        await ServiceStillAnswersCorrectly();
    }

    private async Task ServiceStillAnswersCorrectly()
    {
        var (status, body) = await _http.PostRawAsync("/v2/models/relu/infer", Valid);
        status.ShouldBe(HttpStatusCode.OK, $"{body.GetRawText()}\n{fixture.Service}");
        body.GetProperty("outputs")[0].GetProperty("data").GetRawText().ShouldBe("[2.5,5,0,0,2,1]");
    }
}
