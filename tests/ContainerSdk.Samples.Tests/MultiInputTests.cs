using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerSdk.Samples.Tests.Infrastructure;

namespace ContainerSdk.Samples.Tests;

/// <summary>A two-input, two-output INT64 model with two dynamic dimensions.</summary>
public sealed class AdderTests(AdderService fixture) : IClassFixture<AdderService>
{
    private readonly HttpClient _http = fixture.Http;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(64, 7)]
    public async Task Sum_and_product_match_OnnxRuntime_for_any_dynamic_shape(int n, int m)
    {
        var random = new Random(n * 100 + m);
        TestTensor a = TestTensor.Of("A", "INT64", [n, m], Enumerable.Range(0, n * m).Select(_ => random.NextInt64(-1L << 31, 1L << 31)).ToArray());
        TestTensor b = TestTensor.Of("B", "INT64", [n, m], Enumerable.Range(0, n * m).Select(_ => random.NextInt64(-1L << 31, 1L << 31)).ToArray());

        // Inputs in the other order than the model declares them: names, not positions, bind them.
        var (status, body) = await _http.InferAsync("adder", b, a);

        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        IReadOnlyList<CanonicalTensor> expected = OrtReference.Run(fixture.Model, [a, b]);
        CanonicalTensor.FromJson(body.GetProperty("outputs")[0]).ShouldMatch(expected[0]);
        CanonicalTensor.FromJson(body.GetProperty("outputs")[1]).ShouldMatch(expected[1]);
    }

    [Fact]
    public async Task Broadcasting_that_ONNX_allows_works()
    {
        TestTensor a = TestTensor.Of("A", "INT64", [2, 3], 1L, 2L, 3L, 4L, 5L, 6L);
        TestTensor b = TestTensor.Of("B", "INT64", [1, 3], 10L, 20L, 30L);
        var (status, body) = await _http.InferAsync("adder", a, b);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("outputs")[0].GetProperty("data").GetRawText().ShouldBe("[11,22,33,14,25,36]");
    }

    [Fact]
    public async Task Dynamic_dimensions_that_do_not_agree_between_inputs_are_a_400_and_the_service_stays_up()
    {
        TestTensor a = TestTensor.Of("A", "INT64", [2, 3], 1L, 2L, 3L, 4L, 5L, 6L);
        TestTensor b = TestTensor.Of("B", "INT64", [3, 2], 1L, 2L, 3L, 4L, 5L, 6L);
        (await _http.InferAsync("adder", a, b)).ShouldBeError(HttpStatusCode.BadRequest).ShouldContain("rejected");
        (await _http.InferAsync("adder", a, a with { Name = "B" })).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_missing_input_is_a_400_naming_it()
    {
        (await _http.InferAsync("adder", TestTensor.Of("A", "INT64", [1, 1], 1L))).ShouldBeError(HttpStatusCode.BadRequest).ShouldContain("'B'");
    }

    [Fact]
    public async Task Only_the_requested_output_is_returned()
    {
        var request = new JsonObject
        {
            ["id"] = "only-product",
            ["inputs"] = new JsonArray(TestTensor.Of("A", "INT64", [1, 2], 3L, 4L).ToJson(), TestTensor.Of("B", "INT64", [1, 2], 5L, 6L).ToJson()),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "product" }),
        };
        var (status, body) = await _http.PostRawAsync("/v2/models/adder/infer", request.ToJsonString());
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("id").GetString().ShouldBe("only-product");
        JsonElement output = body.GetProperty("outputs").EnumerateArray().Single();
        output.GetProperty("name").GetString().ShouldBe("product");
        output.GetProperty("data").GetRawText().ShouldBe("[15,24]");
    }
}

/// <summary>BOOL in and out, rank 2 with one dynamic dimension, names with dots, colons and slashes.</summary>
public sealed class LogicTests(LogicService fixture) : IClassFixture<LogicService>
{
    [Fact]
    public async Task Not_matches_OnnxRuntime_and_names_with_punctuation_work()
    {
        TestTensor mask = TestTensor.Of(TestModels.LogicInput, "BOOL", [2, 3], true, false, true, false, false, true);
        var (status, body) = await fixture.Http.InferAsync("logic", mask);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        CanonicalTensor actual = CanonicalTensor.FromJson(body.GetProperty("outputs")[0]);
        actual.ShouldMatch(OrtReference.Run(fixture.Model, [mask])[0]);
        actual.Values.ShouldBe(["false", "true", "false", "true", "true", "false"]);
    }

    [Fact]
    public async Task The_fixed_dimension_is_enforced()
    {
        TestTensor mask = TestTensor.Of(TestModels.LogicInput, "BOOL", [3, 2], true, false, true, false, false, true);
        (await fixture.Http.InferAsync("logic", mask)).ShouldBeError(HttpStatusCode.BadRequest).ShouldContain("dimension 1 must be 3");
    }

    [Fact]
    public async Task Model_metadata_reports_the_names_as_written()
    {
        var (_, meta) = await fixture.Http.GetJsonAsync("/v2/models/logic");
        meta.GetProperty("inputs")[0].GetProperty("name").GetString().ShouldBe(TestModels.LogicInput);
        meta.GetProperty("inputs")[0].GetProperty("shape").GetRawText().ShouldBe("[-1,3]");
        meta.GetProperty("outputs")[0].GetProperty("name").GetString().ShouldBe(TestModels.LogicOutput);
        meta.GetProperty("outputs")[0].GetProperty("datatype").GetString().ShouldBe("BOOL");
    }
}
