using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerSdk.Samples.Tests.Infrastructure;

namespace ContainerSdk.Samples.Tests;

/// <summary>Every protocol datatype in and out, through a model the service has never seen, against ORT run directly.</summary>
public sealed class DatatypeTests(TypesService fixture) : IClassFixture<TypesService>
{
    private readonly HttpClient _http = fixture.Http;

    /// <summary>A valid value set for every input, with each type's edge values.</summary>
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

    [Fact]
    public async Task Every_datatype_round_trips_exactly_as_OnnxRuntime_computes_it()
    {
        TestTensor[] inputs = AllInputs();
        var (status, body) = await _http.InferAsync("types", inputs);
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());

        var actual = body.GetProperty("outputs").EnumerateArray().Select(CanonicalTensor.FromJson).ToDictionary(t => t.Name);
        IReadOnlyList<CanonicalTensor> expected = OrtReference.Run(fixture.Model, inputs);
        actual.Count.ShouldBe(expected.Count);
        foreach (CanonicalTensor reference in expected)
        {
            actual[reference.Name].ShouldMatch(reference);
        }

        // And Identity is identity: the strings and the 64-bit extremes come back untouched.
        actual["text_out"].Values.ShouldBe(["plain", "", "h\u00e9llo \u2713 \"quoted\" \\ \n"]);
        actual["u64_out"].Values.ShouldBe(["0", "18446744073709551615"]);
        actual["i64_out"].Values.ShouldBe(["-9223372036854775808", "9223372036854775807"]);
        actual["i32_out"].Shape.ShouldBeEmpty();
        actual["fp32_as_i32"].Values.ShouldBe(expected.Single(t => t.Name == "fp32_as_i32").Values);
    }

    [Fact]
    public async Task Metadata_names_every_datatype_and_shape_as_the_model_declares_them()
    {
        var (status, meta) = await _http.GetJsonAsync("/v2/models/types");
        status.ShouldBe(HttpStatusCode.OK);
        var inputs = meta.GetProperty("inputs").EnumerateArray().ToDictionary(
            i => i.GetProperty("name").GetString()!, i => (i.GetProperty("datatype").GetString(), i.GetProperty("shape").GetRawText()));
        inputs["fp32"].ShouldBe(("FP32", "[-1]"));
        inputs["fp64"].ShouldBe(("FP64", "[-1]"));
        inputs["fp16"].ShouldBe(("FP16", "[2,-1,2]"));
        inputs["bf16"].ShouldBe(("BF16", "[-1]"));
        inputs["i8"].ShouldBe(("INT8", "[-1]"));
        inputs["i16"].ShouldBe(("INT16", "[-1]"));
        inputs["i32"].ShouldBe(("INT32", "[]"));
        inputs["i64"].ShouldBe(("INT64", "[2]"));
        inputs["u8"].ShouldBe(("UINT8", "[-1]"));
        inputs["u16"].ShouldBe(("UINT16", "[-1]"));
        inputs["u32"].ShouldBe(("UINT32", "[-1]"));
        inputs["u64"].ShouldBe(("UINT64", "[-1]"));
        inputs["flag"].ShouldBe(("BOOL", "[-1]"));
        inputs["text"].ShouldBe(("BYTES", "[-1]"));
        meta.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString())
            .ShouldContain("fp32_as_i32");
    }

    [Fact]
    public async Task Outputs_field_selects_which_outputs_are_computed_and_returned()
    {
        JsonObject request = Request(AllInputs());
        request["outputs"] = new JsonArray(new JsonObject { ["name"] = "text_out" }, new JsonObject { ["name"] = "fp32_as_i32" });
        var (status, body) = await _http.PostRawAsync("/v2/models/types/infer", request.ToJsonString());
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ShouldBe(["text_out", "fp32_as_i32"]);
    }

    /// <summary>One bad value in one input (all others valid): each must be refused, not converted.</summary>
    [Theory]
    [InlineData("i8", "128")]
    [InlineData("i8", "-129")]
    [InlineData("i8", "1.5")]
    [InlineData("u8", "-1")]
    [InlineData("u8", "256")]
    [InlineData("i16", "32768")]
    [InlineData("i32", "2147483648")]
    [InlineData("i64", "9223372036854775808")]
    [InlineData("i64", "1e3")]
    [InlineData("u16", "65536")]
    [InlineData("u32", "-1")]
    [InlineData("u64", "18446744073709551616")]
    [InlineData("fp16", "65520")]
    [InlineData("bf16", "1e39")]
    [InlineData("fp32", "3.5e38")]
    [InlineData("fp32", "\"NaN\"")]
    [InlineData("fp32", "\"Infinity\"")]
    [InlineData("fp64", "1e309")]
    [InlineData("fp64", "\"1.0\"")]
    [InlineData("fp32", "true")]
    [InlineData("fp32", "null")]
    [InlineData("fp32", "{}")]
    [InlineData("flag", "1")]
    [InlineData("flag", "\"true\"")]
    [InlineData("text", "5")]
    [InlineData("text", "null")]
    public async Task A_value_that_does_not_fit_its_datatype_is_a_400(string input, string badValue)
    {
        JsonObject request = Request(AllInputs());
        JsonObject tensor = request["inputs"]!.AsArray().Single(i => (string)i!["name"]! == input)!.AsObject();
        tensor["data"]!.AsArray()[0] = JsonNode.Parse(badValue);

        string error = (await _http.PostRawAsync("/v2/models/types/infer", request.ToJsonString())).ShouldBeError(HttpStatusCode.BadRequest);
        error.ShouldContain($"'{input}'");
    }

    [Theory]
    [InlineData("fp32", "FP64")]
    [InlineData("i64", "INT32")]
    [InlineData("text", "STRING")]
    [InlineData("flag", "bool")]
    public async Task A_datatype_other_than_the_models_is_a_400(string input, string datatype)
    {
        JsonObject request = Request(AllInputs());
        request["inputs"]!.AsArray().Single(i => (string)i!["name"]! == input)!["datatype"] = datatype;
        string error = (await _http.PostRawAsync("/v2/models/types/infer", request.ToJsonString())).ShouldBeError(HttpStatusCode.BadRequest);
        error.ShouldContain("expects");
    }

    [Theory]
    [InlineData("\"\\ud800 lone surrogate\"")]
    [InlineData("\"nul \\u0000 inside\"")]
    [InlineData("\"\\udbff\\udfff max code point\"")]
    public async Task Odd_strings_are_answered_without_harm(string jsonString)
    {
        // Spliced in as text: System.Text.Json.Nodes itself refuses to hold a lone surrogate.
        JsonObject request = Request(AllInputs());
        request["inputs"]!.AsArray().Single(i => (string)i!["name"]! == "text")!["data"]!.AsArray()[0] = "PLACEHOLDER";
        string text = request.ToJsonString().Replace("\"PLACEHOLDER\"", jsonString);
        var (status, body) = await _http.PostRawAsync("/v2/models/types/infer", text);
        status.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.BadRequest], body.GetRawText());
        (await _http.InferAsync("types", AllInputs())).Status.ShouldBe(HttpStatusCode.OK);
    }

    private static JsonObject Request(IEnumerable<TestTensor> inputs) =>
        new() { ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)i.ToJson()).ToArray()) };
}
