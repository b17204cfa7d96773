using System.Diagnostics;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Samples.Inference;

/// <summary>
/// The KServe v2 / Open Inference Protocol over REST (JSON tensors), for the one model the service was given:
///   GET  /v2                        server metadata
///   GET  /v2/health/live            200 while the process serves HTTP
///   GET  /v2/health/ready           200 while the model is loaded and the service is not shutting down, else 503
///   GET  /v2/models/{name}          model metadata: inputs, outputs (datatype, shape, -1 = dynamic), provider
///   GET  /v2/models/{name}/ready    like /v2/health/ready, for the model
///   POST /v2/models/{name}/infer    {"id"?, "inputs": [{"name","shape","datatype","data"}], "outputs"?: [{"name"}]}
///   GET  /metrics                   Prometheus text format
///   GET  /healthz                   "ok &lt;provider&gt;" when ready (kept for existing probes)
/// Every error is <c>{"error": "..."}</c>: 400 for a bad request, 404 for an unknown model or path, 413 for a body over
/// the limit, 503 while not ready, 500 if ONNX Runtime fails on input the protocol accepted.
/// </summary>
public static class InferenceApi
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Leaves ' and " readable in error messages instead of \u0027. "Unsafe" only for JSON pasted into HTML;
        // these are application/json API responses.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static WebApplication MapInferenceApi(this WebApplication app, ModelHost model, InferenceLimits limits, Metrics metrics)
    {
        IHostApplicationLifetime lifetime = app.Lifetime;
        // Not ready once shutdown begins: a load balancer polling readiness stops sending new work while the
        // requests already in flight finish.
        bool Ready() => !lifetime.ApplicationStopping.IsCancellationRequested;
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Samples.Inference.InferenceApi");
        AssemblyName entry = (Assembly.GetEntryAssembly() ?? typeof(InferenceApi).Assembly).GetName();
        string serverName = entry.Name ?? "inference";
        string serverVersion = entry.Version?.ToString(3) ?? "0.0.0";

        app.MapGet("/v2", () => Json(200, w =>
        {
            w.WriteString("name", serverName);
            w.WriteString("version", serverVersion);
            w.WriteStartArray("extensions");
            w.WriteEndArray();
        }));
        app.MapGet("/v2/health/live", () => Json(200, w => w.WriteBoolean("live", true)));
        app.MapGet("/v2/health/ready", () => ReadyResult(model, Ready()));
        app.MapGet("/v2/models/{name}", (string name) => name == model.Name ? Metadata(model) : ModelNotFound(name));
        app.MapGet("/v2/models/{name}/ready", (string name) => name == model.Name ? ReadyResult(model, Ready()) : ModelNotFound(name));
        app.MapPost("/v2/models/{name}/infer", async (string name, HttpContext context) =>
            name != model.Name ? ModelNotFound(name)
            : !Ready() ? Error(503, $"model '{name}' is not ready: the service is shutting down")
            : await InferAsync(model, limits, metrics, context, logger));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(model, Ready()), Metrics.ContentType));
        app.MapGet("/healthz", () => Ready() ? Results.Text($"ok {model.Provider}") : Results.Text("stopping", statusCode: 503));
        app.MapFallback((HttpContext context) => Error(404, $"no such endpoint: {context.Request.Method} {context.Request.Path}"));
        return app;
    }

    /// <summary>Turns anything a handler did not answer into the protocol's error JSON instead of an empty 500.</summary>
    public static async Task HandleErrorsAsync(HttpContext context, Func<Task> next, ILogger logger)
    {
        try
        {
            await next();
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (reading its body, or waiting for a long inference); nobody to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            (int status, string message) = ex switch
            {
                // Kestrel's own limits (body too large: 413) and malformed HTTP framing.
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                ProtocolException protocol => (protocol.StatusCode, protocol.Message),
                _ => (500, "internal error"),
            };
            if (status >= 500)
            {
                logger.LogError(ex, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            }

            context.Response.Clear();
            await Error(status, message).ExecuteAsync(context);
        }
    }

    private static async Task<IResult> InferAsync(ModelHost model, InferenceLimits limits, Metrics metrics, HttpContext context, ILogger logger)
    {
        HttpRequest request = context.Request;
        if (request.Headers.ContainsKey("Inference-Header-Content-Length"))
        {
            return Error(400, "the binary tensor data extension is not supported; send tensors as JSON");
        }

        if (request.ContentLength > limits.MaxRequestBodyBytes)
        {
            return Error(413, $"request body of {request.ContentLength} bytes exceeds the limit of {limits.MaxRequestBodyBytes} bytes");
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body,
                new JsonDocumentOptions { MaxDepth = InferenceLimits.MaxJsonDepth }, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Error(400, $"request body is not valid JSON: {ex.Message}");
        }

        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            InferRequest parsed = InferRequest.Parse(body.RootElement, model, limits);
            foreach (InputTensor input in parsed.Inputs)
            {
                inputs.Add(input.Spec.Name, TensorCodec.Decode(input.Spec, input.Data, input.Shape, input.Count));
            }

            // The JSON is decoded into native tensors; free it before inference allocates its own memory.
            body.Dispose();

            using var runOptions = new RunOptions();
            // A client that disconnects stops its inference instead of leaving it to burn a core to the end.
            using CancellationTokenRegistration abort = context.RequestAborted.Register(() => runOptions.Terminate = true);
            long start = Stopwatch.GetTimestamp();
            IDisposableReadOnlyCollection<OrtValue> results = Run(model, runOptions, inputs, parsed.OutputNames, context);
            metrics.ObserveInference(Stopwatch.GetElapsedTime(start));

            // The result owns the output tensors and frees them once they are written.
            return new JsonObjectResult(200, w =>
            {
                w.WriteString("model_name", model.Name);
                if (parsed.Id is not null)
                {
                    w.WriteString("id", parsed.Id);
                }

                w.WriteStartArray("outputs");
                for (int i = 0; i < parsed.OutputNames.Count; i++)
                {
                    OrtValue value = results[i];
                    OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
                    w.WriteStartObject();
                    w.WriteString("name", parsed.OutputNames[i]);
                    w.WriteString("datatype", TensorFormats.DataType(info.ElementDataType));
                    w.WriteStartArray("shape");
                    foreach (long d in info.Shape)
                    {
                        w.WriteNumberValue(d);
                    }

                    w.WriteEndArray();
                    w.WritePropertyName("data");
                    TensorCodec.WriteData(w, value, info.ElementDataType);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }, owned: results);
        }
        catch (ProtocolException ex)
        {
            return Error(ex.StatusCode, ex.Message);
        }
        catch (OnnxRuntimeException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The request passed every check the model's metadata allows (names, datatypes, ranks, fixed dims), so
            // what ORT still rejects is what only the values reveal: dynamic dimensions that do not agree between
            // inputs, an index out of range, a reshape that does not fit... ORT reports those as INVALID_ARGUMENT, or
            // as FAIL from the kernel that tripped. Running out of memory is FAIL too, but it is the server's problem.
            if (IsInputError(ex))
            {
                return Error(400, $"the model rejected the input: {ex.Message}");
            }

            logger.LogError(ex, "Inference failed for model {ModelName}", model.Name);
            return Error(500, $"inference failed: {ex.Message}");
        }
        finally
        {
            body.Dispose();
            foreach (OrtValue value in inputs.Values)
            {
                value.Dispose();
            }
        }
    }

    private static IDisposableReadOnlyCollection<OrtValue> Run(ModelHost model, RunOptions options,
        Dictionary<string, OrtValue> inputs, IReadOnlyList<string> outputNames, HttpContext context)
    {
        try
        {
            return model.Session.Run(options, inputs, outputNames);
        }
        catch (OnnxRuntimeException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Terminated because the client left; HandleErrorsAsync drops it without an answer.
            throw new OperationCanceledException(context.RequestAborted);
        }
    }

    private static bool IsInputError(OnnxRuntimeException ex) =>
        (ex.Message.StartsWith("[ErrorCode:InvalidArgument]", StringComparison.Ordinal)
            || ex.Message.StartsWith("[ErrorCode:Fail]", StringComparison.Ordinal))
        && !ex.Message.Contains("allocate", StringComparison.OrdinalIgnoreCase)
        && !ex.Message.Contains("bad_alloc", StringComparison.Ordinal);

    private static IResult Metadata(ModelHost model) => Json(200, w =>
    {
        w.WriteString("name", model.Name);
        w.WriteStartArray("versions");
        w.WriteEndArray();
        w.WriteString("platform", "onnxruntime_onnx");
        WriteTensors(w, "inputs", model.Inputs);
        WriteTensors(w, "outputs", model.Outputs);
        w.WriteStartObject("parameters");
        w.WriteString("provider", model.Provider);
        w.WriteString("onnxruntime_version", ModelHost.OrtVersion);
        w.WriteEndObject();
    });

    private static IResult ReadyResult(ModelHost model, bool ready) => Json(ready ? 200 : 503, w =>
    {
        w.WriteString("name", model.Name);
        w.WriteBoolean("ready", ready);
        w.WriteStartObject("parameters");
        w.WriteString("provider", model.Provider);
        w.WriteEndObject();
    });

    private static void WriteTensors(Utf8JsonWriter w, string property, IEnumerable<TensorSpec> tensors)
    {
        w.WriteStartArray(property);
        foreach (TensorSpec spec in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", spec.Name);
            w.WriteString("datatype", spec.Datatype);
            w.WriteStartArray("shape");
            foreach (long d in spec.Shape)
            {
                w.WriteNumberValue(d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static IResult ModelNotFound(string name) => Error(404, $"model '{name}' not found");

    public static IResult Error(int status, string message) => Json(status, w => w.WriteString("error", message));

    /// <summary>A JSON object written straight into the response pipe by <paramref name="writeProperties"/>: no
    /// intermediate object graph, no reflection, and any tensor datatype written natively.</summary>
    private static IResult Json(int status, Action<Utf8JsonWriter> writeProperties) => new JsonObjectResult(status, writeProperties);

    private sealed class JsonObjectResult(int status, Action<Utf8JsonWriter> writeProperties, IDisposable? owned = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            try
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json; charset=utf-8";
                await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
                {
                    writer.WriteStartObject();
                    writeProperties(writer);
                    writer.WriteEndObject();
                }

                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            }
            finally
            {
                owned?.Dispose();
            }
        }
    }
}
