using System.Buffers;
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

    private static readonly AssemblyName Entry = (Assembly.GetEntryAssembly() ?? typeof(InferenceApi).Assembly).GetName();
    public static string ServerName => Entry.Name ?? "inference";
    public static string ServerVersion => Entry.Version?.ToString(3) ?? "0.0.0";

    /// <summary>The protocol extensions this service implements, as server metadata lists them.</summary>
    public static readonly string[] Extensions = ["binary_tensor_data"];

    public static WebApplication MapInferenceApi(this WebApplication app, ModelHost model, InferenceLimits limits, Metrics metrics)
    {
        IHostApplicationLifetime lifetime = app.Lifetime;
        // Not ready once shutdown begins: a load balancer polling readiness stops sending new work while the
        // requests already in flight finish.
        bool Ready() => !lifetime.ApplicationStopping.IsCancellationRequested;
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Samples.Inference.InferenceApi");

        app.MapGet("/v2", () => Json(200, w =>
        {
            w.WriteString("name", ServerName);
            w.WriteString("version", ServerVersion);
            w.WriteStartArray("extensions");
            foreach (string extension in Extensions)
            {
                w.WriteStringValue(extension);
            }

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

    public const string HeaderLengthName = "Inference-Header-Content-Length";

    private static async Task<IResult> InferAsync(ModelHost model, InferenceLimits limits, Metrics metrics, HttpContext context, ILogger logger)
    {
        HttpRequest request = context.Request;
        // Framing first, from the headers alone: nothing is allocated for a body whose declared lengths disagree.
        int headerLength = -1;
        if (request.Headers.TryGetValue(HeaderLengthName, out var headerValues))
        {
            context.Items[Metrics.ProtocolKey] = "binary";
            if (headerValues.Count != 1 || !int.TryParse(headerValues[0], System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out headerLength))
            {
                return Error(400, $"{HeaderLengthName} must be one non-negative integer (the JSON header's length in bytes); got '{headerValues}'");
            }

            if (request.ContentLength is long declared && headerLength > declared)
            {
                return Error(400, $"{HeaderLengthName} is {headerLength}, beyond the body's Content-Length of {declared}");
            }
        }
        else
        {
            context.Items[Metrics.ProtocolKey] = "json";
        }

        // The buffer is sized from Content-Length only once it is within the service's own limit (and an array's).
        if (request.ContentLength > limits.MaxRequestBodyBytes || request.ContentLength > Array.MaxLength - 128)
        {
            return Error(413, $"request body of {request.ContentLength} bytes exceeds the limit of {limits.MaxRequestBodyBytes} bytes");
        }

        var owned = new Owned();
        PooledBuffer body = owned.Add(await ReadBodyAsync(request, headerLength, context.RequestAborted));
        if (headerLength > body.Length)
        {
            owned.Dispose();
            return Error(400, $"{HeaderLengthName} is {headerLength}, beyond the body's {body.Length} bytes");
        }

        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        JsonDocument? document = null;
        bool handedOver = false;
        try
        {
            InferRequest parsed;
            int binaryStart;
            if (headerLength == 0)
            {
                parsed = InferRequest.Raw(model, limits, body.Memory.Span);
                binaryStart = 0;
            }
            else
            {
                int jsonLength = headerLength < 0 ? body.Length : headerLength;
                try
                {
                    document = JsonDocument.Parse(body.Memory[..jsonLength], new JsonDocumentOptions { MaxDepth = InferenceLimits.MaxJsonDepth });
                }
                catch (JsonException ex)
                {
                    return Error(400, $"request {(headerLength < 0 ? "body" : "JSON header")} is not valid JSON: {ex.Message}");
                }

                parsed = InferRequest.Parse(document.RootElement, model, limits, headerLength < 0 ? -1 : body.Length - headerLength);
                binaryStart = jsonLength;
            }

            if (parsed.AnyBinaryOutput)
            {
                context.Items[Metrics.ProtocolKey] = "binary";
            }

            foreach (InputTensor input in parsed.Inputs)
            {
                OrtValue value;
                if (input.IsBinary)
                {
                    int offset = binaryStart + input.BinaryOffset;
                    ReadOnlySpan<byte> data = body.Memory.Span.Slice(offset, input.BinaryLength);
                    BinaryTensors.Validate(input.Spec, input.Count, data, $"input '{input.Spec.Name}'");
                    // The body stays pinned until the response is written: the OrtValue may be the body itself.
                    value = BinaryTensors.Decode(input.Spec, input.Shape, input.Count, data, body.AddressOf(offset));
                }
                else
                {
                    value = TensorCodec.Decode(input.Spec, input.Data, input.Shape, input.Count);
                }

                inputs.Add(input.Spec.Name, value);
            }

            // The JSON is decoded into native tensors; free it before inference allocates its own memory.
            document?.Dispose();

            using var runOptions = new RunOptions();
            // A client that disconnects stops its inference instead of leaving it to burn a core to the end.
            using CancellationTokenRegistration abort = context.RequestAborted.Register(() => runOptions.Terminate = true);
            long start = Stopwatch.GetTimestamp();
            IDisposableReadOnlyCollection<OrtValue> results = Run(model, runOptions, inputs, parsed.OutputNames, context);
            metrics.ObserveInference(Stopwatch.GetElapsedTime(start));
            owned.Add(results);
            foreach (OrtValue value in inputs.Values)
            {
                owned.Add(value);
            }

            handedOver = true;
            // The result owns the output tensors (and the inputs and the body they may point into) and frees them
            // once the response is written.
            return new InferResult(model.Name, parsed, results, owned);
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
            document?.Dispose();
            if (!handedOver)
            {
                foreach (OrtValue value in inputs.Values)
                {
                    value.Dispose();
                }

                owned.Dispose();
            }
        }
    }

    /// <summary>The whole body into one pooled buffer: of its declared length (already checked against the limit),
    /// with the binary part after a header of <paramref name="headerLength"/> bytes aligned for ORT; or growing for a
    /// chunked body, which Kestrel's MaxRequestBodySize cuts off with a 413.</summary>
    private static async Task<PooledBuffer> ReadBodyAsync(HttpRequest request, int headerLength, CancellationToken cancel)
    {
        long? declared = request.ContentLength;
        var buffer = declared is long length
            ? new PooledBuffer((int)length + 1, alignAt: headerLength)
            : new PooledBuffer(16 * 1024);
        try
        {
            Stream stream = request.Body;
            while (true)
            {
                if (buffer.Free.Length == 0)
                {
                    // Only a chunked body gets here: a declared one has a spare byte, and Kestrel never delivers more
                    // than Content-Length.
                    buffer.Grow();
                }

                int read = await stream.ReadAsync(buffer.Free, cancel);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Length += read;
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
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

    internal static bool IsInputError(OnnxRuntimeException ex) =>
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

    /// <summary>Disposables freed together, last added first.</summary>
    private sealed class Owned : IDisposable
    {
        private readonly List<IDisposable> _items = new();

        public T Add<T>(T item) where T : IDisposable
        {
            _items.Add(item);
            return item;
        }

        public void Dispose()
        {
            for (int i = _items.Count - 1; i >= 0; i--)
            {
                _items[i].Dispose();
            }

            _items.Clear();
        }
    }

    /// <summary>An inference response: all JSON, or (when any output is asked for as binary) a JSON header followed by
    /// the binary outputs in order, written from ORT's buffers into the response pipe.</summary>
    private sealed class InferResult(string modelName, InferRequest request, IDisposableReadOnlyCollection<OrtValue> results, IDisposable owned) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            try
            {
                HttpResponse response = context.Response;
                response.StatusCode = 200;
                var infos = new OrtTensorTypeAndShapeInfo[request.OutputNames.Count];
                for (int i = 0; i < infos.Length; i++)
                {
                    infos[i] = results[i].GetTensorTypeAndShape();
                }

                if (!request.AnyBinaryOutput)
                {
                    response.ContentType = "application/json; charset=utf-8";
                    await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
                    {
                        WriteHeader(writer, infos, null);
                    }

                    await response.BodyWriter.FlushAsync(context.RequestAborted);
                    return;
                }

                var sizes = new long[infos.Length];
                long binaryTotal = 0;
                for (int i = 0; i < infos.Length; i++)
                {
                    sizes[i] = request.BinaryOutputs[i] ? BinaryTensors.ByteSize(results[i], infos[i]) : -1;
                    binaryTotal += Math.Max(0, sizes[i]);
                }

                var header = new ArrayBufferWriter<byte>(512);
                using (var writer = new Utf8JsonWriter(header, WriterOptions))
                {
                    WriteHeader(writer, infos, sizes);
                }

                response.ContentType = "application/octet-stream";
                response.Headers[HeaderLengthName] = header.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
                response.ContentLength = header.WrittenCount + binaryTotal;
                response.BodyWriter.Write(header.WrittenSpan);
                long unflushed = header.WrittenCount;
                for (int i = 0; i < infos.Length; i++)
                {
                    if (sizes[i] >= 0)
                    {
                        BinaryTensors.WriteTo(response.BodyWriter, results[i], infos[i]);
                        // One write for a small answer (one TCP send); large outputs go out as they are written.
                        if ((unflushed += sizes[i]) >= 1024 * 1024)
                        {
                            await response.BodyWriter.FlushAsync(context.RequestAborted);
                            unflushed = 0;
                        }
                    }
                }

                await response.BodyWriter.FlushAsync(context.RequestAborted);
            }
            finally
            {
                owned.Dispose();
            }
        }

        private void WriteHeader(Utf8JsonWriter w, OrtTensorTypeAndShapeInfo[] infos, long[]? sizes)
        {
            w.WriteStartObject();
            w.WriteString("model_name", modelName);
            if (request.Id is not null)
            {
                w.WriteString("id", request.Id);
            }

            w.WriteStartArray("outputs");
            for (int i = 0; i < infos.Length; i++)
            {
                OrtTensorTypeAndShapeInfo info = infos[i];
                w.WriteStartObject();
                w.WriteString("name", request.OutputNames[i]);
                w.WriteString("datatype", TensorFormats.DataType(info.ElementDataType));
                w.WriteStartArray("shape");
                foreach (long d in info.Shape)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                if (sizes is not null && sizes[i] >= 0)
                {
                    w.WriteStartObject("parameters");
                    w.WriteNumber("binary_data_size", sizes[i]);
                    w.WriteEndObject();
                }
                else
                {
                    w.WritePropertyName("data");
                    TensorCodec.WriteData(w, results[i], info.ElementDataType);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

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
