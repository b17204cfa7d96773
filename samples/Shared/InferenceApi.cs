using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.OnnxRuntime;

namespace Samples.Inference;

/// <summary>
/// The HTTP surface both inference samples share, a subset of the KServe v2 / Open Inference Protocol (JSON only):
///   GET  /healthz                  -> 200 "ok"
///   GET  /v2/models/{name}         -> model metadata (inputs, outputs, execution provider)
///   POST /v2/models/{name}/infer   -> {"inputs":[{"name","shape","datatype":"FP32","data"}]} -> {"outputs":[...]}
/// Every client error is 400 (404 for an unknown model) with a body {"error": "..."}.
/// </summary>
public static class InferenceApi
{
    /// <summary>Caps one request at 16M elements (64 MiB of FP32), far above this model's needs, so that a
    /// shape like [1e9, 4] is refused before anything is allocated for it.</summary>
    private const long MaxElements = 16L * 1024 * 1024;

    /// <param name="healthIncludesProvider">When true /healthz answers "ok CUDAExecutionProvider" (or CPU), so a
    /// probe's log shows whether the GPU was actually picked up; when false, plain "ok".</param>
    public static WebApplication MapInferenceApi(this WebApplication app, ModelHost model, bool healthIncludesProvider = false)
    {
        string health = healthIncludesProvider ? $"ok {model.Provider}" : "ok";
        app.MapGet("/healthz", () => Results.Text(health));
        app.MapGet("/v2/models/{name}", (string name) =>
            name == model.Name ? Results.Json(Metadata(model), InferenceJson.Api.ModelMetadata) : NotFound(name));
        app.MapPost("/v2/models/{name}/infer", async (string name, HttpRequest request, ILoggerFactory loggers) =>
            name == model.Name ? await InferAsync(model, request, loggers) : NotFound(name));
        return app;
    }

    private static ModelMetadata Metadata(ModelHost model) => new(
        model.Name,
        "onnxruntime_onnx",
        model.Provider,
        Describe(model.Session.InputMetadata),
        Describe(model.Session.OutputMetadata));

    private static TensorMetadata[] Describe(IReadOnlyDictionary<string, NodeMetadata> tensors) =>
        tensors.Select(kv => new TensorMetadata(kv.Key, TensorFormats.DataType(kv.Value.ElementDataType),
            kv.Value.Dimensions.Select(d => (long)d).ToArray())).ToArray();

    private static async Task<IResult> InferAsync(ModelHost model, HttpRequest request, ILoggerFactory loggers)
    {
        InferRequest parsed;
        try
        {
            using JsonDocument body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            parsed = InferRequest.Parse(body.RootElement);
        }
        catch (JsonException ex)
        {
            return BadRequest($"request body is not valid JSON: {ex.Message}");
        }
        catch (BadRequestException ex)
        {
            return BadRequest(ex.Message);
        }

        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            foreach (InputTensor input in parsed.Inputs)
            {
                string? problem = Validate(model, input, parsed.Inputs);
                if (problem is not null)
                {
                    return BadRequest(problem);
                }

                inputs.Add(input.Name, OrtValue.CreateTensorValueFromMemory(input.Data, input.Shape));
            }

            foreach (string required in model.Session.InputNames)
            {
                if (!inputs.ContainsKey(required))
                {
                    return BadRequest($"missing input '{required}'; the model's inputs are: {string.Join(", ", model.Session.InputNames)}");
                }
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = model.Session.Run(runOptions, inputs, model.Session.OutputNames);
            var outputs = new OutputTensor[results.Count];
            int i = 0;
            foreach (OrtValue result in results)
            {
                // Startup checked every output is an FP32 tensor (ModelHost.TryLoad).
                outputs[i] = new OutputTensor(model.Session.OutputNames[i], "FP32",
                    result.GetTensorTypeAndShape().Shape, result.GetTensorDataAsSpan<float>().ToArray());
                i++;
            }

            return Results.Json(new InferResponse(model.Name, parsed.Id, outputs), InferenceJson.Api.InferResponse);
        }
        catch (OnnxRuntimeException ex)
        {
            // Validation above should leave nothing for ORT to reject; if it does, it is a server-side surprise.
            loggers.CreateLogger(typeof(InferenceApi)).LogError(ex, "Inference failed for model {ModelName}", model.Name);
            return Results.Json(new ErrorResponse($"inference failed: {ex.Message}"), InferenceJson.Api.ErrorResponse, statusCode: 500);
        }
        finally
        {
            foreach (OrtValue value in inputs.Values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>Checks one request tensor against the session's input metadata; returns the problem, or null.</summary>
    private static string? Validate(ModelHost model, InputTensor input, IReadOnlyList<InputTensor> all)
    {
        if (!model.Session.InputMetadata.TryGetValue(input.Name, out NodeMetadata? meta))
        {
            return $"unknown input '{input.Name}'; the model's inputs are: {string.Join(", ", model.Session.InputNames)}";
        }

        if (all.Count(other => other.Name == input.Name) > 1)
        {
            return $"input '{input.Name}' is given more than once";
        }

        // The datatype needs no check here: InferRequest.Parse accepts FP32 only, and ModelHost.TryLoad refused any
        // model whose inputs are not FP32.
        int[] dims = meta.Dimensions;
        if (input.Shape.Length != dims.Length)
        {
            return $"input '{input.Name}' must have rank {dims.Length} (shape {TensorFormats.Shape(dims)}); got shape {TensorFormats.Shape(input.Shape)}";
        }

        long elements = 1;
        for (int d = 0; d < dims.Length; d++)
        {
            long size = input.Shape[d];
            if (size < 1)
            {
                return $"input '{input.Name}' shape {TensorFormats.Shape(input.Shape)} has a dimension below 1";
            }

            if (dims[d] >= 0 && size != dims[d])
            {
                return $"input '{input.Name}' dimension {d} must be {dims[d]} (shape {TensorFormats.Shape(dims)}); got shape {TensorFormats.Shape(input.Shape)}";
            }

            // Both factors are at most MaxElements (2^24) here, so the product cannot overflow a long.
            if (size > MaxElements || (elements *= size) > MaxElements)
            {
                return $"input '{input.Name}' shape {TensorFormats.Shape(input.Shape)} exceeds {MaxElements} elements";
            }
        }

        if (input.Data.Length != elements)
        {
            return $"input '{input.Name}' has shape {TensorFormats.Shape(input.Shape)} ({elements} elements) but {input.Data.Length} data values";
        }

        return null;
    }

    private static IResult BadRequest(string message) =>
        Results.Json(new ErrorResponse(message), InferenceJson.Api.ErrorResponse, statusCode: 400);

    private static IResult NotFound(string name) =>
        Results.Json(new ErrorResponse($"model '{name}' not found"), InferenceJson.Api.ErrorResponse, statusCode: 404);
}

/// <summary>A client error found while reading the request body; its message goes back as {"error": ...}.</summary>
public sealed class BadRequestException(string message) : Exception(message);

public sealed record InputTensor(string Name, string DataType, long[] Shape, float[] Data);

/// <summary>
/// The request, read by hand from a JsonDocument rather than bound to types, so that every malformed shape of input
/// gets a specific 400 message instead of a generic binding failure.
/// </summary>
public sealed record InferRequest(string? Id, IReadOnlyList<InputTensor> Inputs)
{
    public static InferRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("request body must be a JSON object with an \"inputs\" array");
        }

        string? id = root.TryGetProperty("id", out JsonElement idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()
            : null;
        if (!root.TryGetProperty("inputs", out JsonElement inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
        {
            throw new BadRequestException("\"inputs\" must be a non-empty array");
        }

        return new InferRequest(id, inputs.EnumerateArray().Select(ParseInput).ToArray());
    }

    private static InputTensor ParseInput(JsonElement input, int index)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException($"inputs[{index}] must be an object");
        }

        string name = RequiredString(input, "name", index);
        string dataType = RequiredString(input, "datatype", index);
        if (!input.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new BadRequestException($"input '{name}' needs a \"shape\" array of integers");
        }

        long[] shape = shapeElement.EnumerateArray()
            .Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long v)
                ? v
                : throw new BadRequestException($"input '{name}' shape must contain only integers"))
            .ToArray();
        if (!input.TryGetProperty("data", out JsonElement dataElement) || dataElement.ValueKind != JsonValueKind.Array)
        {
            throw new BadRequestException($"input '{name}' needs a \"data\" array of numbers");
        }

        if (dataType != "FP32")
        {
            // Checked here, before the data is read as floats, so the message names the real problem.
            throw new BadRequestException($"input '{name}' has datatype {dataType}; this service accepts FP32 only");
        }

        // KServe v2 allows the data flat in row-major order or nested like the shape; both flatten the same way.
        var data = new List<float>();
        Flatten(dataElement, data, name);
        return new InputTensor(name, dataType, shape, data.ToArray());
    }

    private static void Flatten(JsonElement element, List<float> into, string name)
    {
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Flatten(item, into, name);
            }
            else if (item.ValueKind == JsonValueKind.Number && item.TryGetSingle(out float value) && float.IsFinite(value))
            {
                into.Add(value);
            }
            else
            {
                throw new BadRequestException($"input '{name}' data must contain only finite FP32 numbers; got {item.GetRawText()}");
            }
        }
    }

    private static string RequiredString(JsonElement input, string property, int index) =>
        input.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new BadRequestException($"inputs[{index}] needs a non-empty string \"{property}\"");
}

public sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

public sealed record ModelMetadata(string Name, string Platform, string Provider, TensorMetadata[] Inputs, TensorMetadata[] Outputs);

public sealed record OutputTensor(string Name, string Datatype, long[] Shape, float[] Data);

public sealed record InferResponse(
    string ModelName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    OutputTensor[] Outputs);

public sealed record ErrorResponse(string Error);

/// <summary>Source-generated JSON for the responses: snake_case names as in KServe v2 ("model_name"), and
/// Infinity/NaN written as strings rather than failing the response if a model ever produces them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(InferResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class InferenceJson : JsonSerializerContext
{
    /// <summary>Default's settings plus an encoder that leaves ' and " readable in error messages instead of \u0027.
    /// "Unsafe" only for JSON pasted into HTML; these are application/json API responses.</summary>
    // Made on first use: as a static initializer it could run before the generated part has set Default.
    public static InferenceJson Api => s_api ??=
        new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static InferenceJson? s_api;
}
