using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Routing;

namespace Samples.Inference;

/// <summary>
/// Prometheus metrics in the text exposition format (version 0.0.4), kept by hand so the service needs no metrics
/// package: request count by route, method and status; request latency by route; ONNX Runtime's own run time.
/// Routes are the endpoint's route template ("/v2/models/{name}/infer"), never the raw path, so label cardinality
/// stays fixed whatever clients send.
/// </summary>
public sealed class Metrics
{
    // Seconds. Fine at the low end, where a small model's requests live, and up to the 10 s of a large batch.
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH" };

    private readonly ConcurrentDictionary<(string Route, string Method, int Status), StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<string, Histogram> _latency = new(StringComparer.Ordinal);
    private readonly Histogram _inference = new(Buckets);
    private readonly ConcurrentDictionary<(string Protocol, string Code), StrongBox<long>> _inferRequests = new();
    private readonly ConcurrentDictionary<string, Histogram> _inferLatency = new(StringComparer.Ordinal);

    /// <summary>HttpContext.Items key under which the REST handler says which protocol a request used: "json" or
    /// "binary" (the binary tensor data extension, in the request or for any output).</summary>
    public const string ProtocolKey = "Samples.Inference.Protocol";

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Middleware: times every request and counts it under its route template once the response is done.</summary>
    public async Task MeasureAsync(HttpContext context, Func<Task> next)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            // MapFallback's endpoint has the last order; it answers paths no route matched.
            string route = context.GetEndpoint() is RouteEndpoint { Order: < int.MaxValue } endpoint
                ? endpoint.RoutePattern.RawText ?? "unmatched"
                : "unmatched";
            string method = KnownMethods.Contains(context.Request.Method) ? context.Request.Method : "OTHER";
            // A client that went away gets no response; 499 (nginx's "client closed request") keeps it visible.
            int status = context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode;
            Interlocked.Increment(ref _requests.GetOrAdd((route, method, status), static _ => new StrongBox<long>()).Value);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            _latency.GetOrAdd(route, static _ => new Histogram(Buckets)).Observe(elapsed.TotalSeconds);
            if (context.Items.TryGetValue(ProtocolKey, out object? protocol) && protocol is string name)
            {
                ObserveInferRequest(name, status.ToString(CultureInfo.InvariantCulture), elapsed);
            }
        }
    }

    /// <summary>One inference request by protocol ("json", "binary", "grpc") and result code (the HTTP status, or the
    /// gRPC status name).</summary>
    public void ObserveInferRequest(string protocol, string code, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _inferRequests.GetOrAdd((protocol, code), static _ => new StrongBox<long>()).Value);
        _inferLatency.GetOrAdd(protocol, static _ => new Histogram(Buckets)).Observe(elapsed.TotalSeconds);
    }

    public void ObserveInference(TimeSpan elapsed) => _inference.Observe(elapsed.TotalSeconds);

    public string Render(ModelHost model, bool ready)
    {
        var text = new StringBuilder();
        string modelLabels = $"model=\"{Escape(model.Name)}\",provider=\"{Escape(model.Provider)}\"";

        text.Append("# HELP http_requests_total HTTP requests answered, by route template, method and status code.\n");
        text.Append("# TYPE http_requests_total counter\n");
        foreach (var ((route, method, status), count) in _requests.OrderBy(kv => kv.Key.Route, StringComparer.Ordinal)
                     .ThenBy(kv => kv.Key.Method, StringComparer.Ordinal).ThenBy(kv => kv.Key.Status))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"http_requests_total{{route=\"{Escape(route)}\",method=\"{method}\",status=\"{status}\"}} {Volatile.Read(ref count.Value)}\n");
        }

        text.Append("# HELP http_request_duration_seconds Time from request start to response end, by route template.\n");
        text.Append("# TYPE http_request_duration_seconds histogram\n");
        foreach ((string route, Histogram histogram) in _latency.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            histogram.Render(text, "http_request_duration_seconds", $"route=\"{Escape(route)}\"");
        }

        text.Append("# HELP inference_requests_total Inference requests answered, by protocol (json, binary, grpc) and status code.\n");
        text.Append("# TYPE inference_requests_total counter\n");
        foreach (var ((protocol, code), count) in _inferRequests.OrderBy(kv => kv.Key.Protocol, StringComparer.Ordinal)
                     .ThenBy(kv => kv.Key.Code, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"inference_requests_total{{{modelLabels},protocol=\"{protocol}\",code=\"{Escape(code)}\"}} {Volatile.Read(ref count.Value)}\n");
        }

        text.Append("# HELP inference_request_duration_seconds Inference request latency by protocol (json, binary, grpc), from request start to response end.\n");
        text.Append("# TYPE inference_request_duration_seconds histogram\n");
        foreach ((string protocol, Histogram histogram) in _inferLatency.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            histogram.Render(text, "inference_request_duration_seconds", $"{modelLabels},protocol=\"{protocol}\"");
        }

        text.Append("# HELP inference_duration_seconds Time spent in ONNX Runtime's Run for one request.\n");
        text.Append("# TYPE inference_duration_seconds histogram\n");
        _inference.Render(text, "inference_duration_seconds", modelLabels);

        text.Append("# HELP model_ready 1 while the model is loaded and the service accepts inference requests.\n");
        text.Append("# TYPE model_ready gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"model_ready{{{modelLabels}}} {(ready ? 1 : 0)}\n");
        return text.ToString();
    }

    /// <summary>Label values escape backslash, double quote and line feed (the exposition format's rule).</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }

    /// <summary>A cumulative-on-render histogram: one counter per bucket, updated lock-free.</summary>
    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] _counts = new long[bounds.Length + 1]; // the last one is +Inf
        private long _sumTicks; // 100 ns units: a long adds atomically, a double does not

        public void Observe(double seconds)
        {
            int bucket = Array.BinarySearch(bounds, seconds);
            Interlocked.Increment(ref _counts[bucket >= 0 ? bucket : ~bucket]);
            Interlocked.Add(ref _sumTicks, (long)(seconds * TimeSpan.TicksPerSecond));
        }

        public void Render(StringBuilder text, string name, string labels)
        {
            long cumulative = 0;
            for (int i = 0; i <= bounds.Length; i++)
            {
                cumulative += Volatile.Read(ref _counts[i]);
                string le = i < bounds.Length ? bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{le}\"}} {cumulative}\n");
            }

            double sum = Volatile.Read(ref _sumTicks) / (double)TimeSpan.TicksPerSecond;
            text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {sum.ToString("R", CultureInfo.InvariantCulture)}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {cumulative}\n"); // = the +Inf bucket, as the format requires
        }
    }
}
