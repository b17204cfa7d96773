using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContainerSdk.Samples.Tests.Infrastructure;

public static class HttpExtensions
{
    /// <summary>POSTs a raw body (any bytes, valid JSON or not) and returns the status and the parsed JSON answer.
    /// Every answer of this service, errors included, must be JSON; this throws if one is not.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(this HttpClient http, string path, string body) =>
        await http.PostRawAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(this HttpClient http, string path, HttpContent content)
    {
        using HttpResponseMessage response = await http.PostAsync(path, content);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> InferAsync(this HttpClient http, string model, params TestTensor[] inputs) =>
        http.PostRawAsync($"/v2/models/{model}/infer", new JsonObject { ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)i.ToJson()).ToArray()) }.ToJsonString());

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient http, string path)
    {
        using HttpResponseMessage response = await http.GetAsync(path);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", $"HTTP {(int)response.StatusCode} answered: {text}");
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ShouldAssertException($"HTTP {(int)response.StatusCode} is not JSON ({ex.Message}): {text}");
        }
    }

    /// <summary>The protocol's error shape: {"error": "non-empty message"}.</summary>
    public static string ShouldBeError(this (HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode expected)
    {
        answer.Status.ShouldBe(expected, answer.Body.GetRawText());
        answer.Body.ValueKind.ShouldBe(JsonValueKind.Object);
        string message = answer.Body.GetProperty("error").GetString()!;
        message.ShouldNotBeNullOrWhiteSpace();
        return message;
    }
}
