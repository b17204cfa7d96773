using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OnnxModels;

// The /infer benchmark (see infer-bench.sh, which starts the service and calls this):
//   InferBench write-models DIR
//       writes relu.onnx (the samples' 12-weight model) and mlp.onnx (256 -> 512 -> 16, ~140k multiply-adds per row)
//   InferBench run --url http://127.0.0.1:PORT --model-file FILE --model-name NAME [--batches 1,64]
//                  [--requests 2000] [--seconds 10] [--concurrency 4] [--tolerance 1e-5]
//       for each batch size: /infer at concurrency 1 (latency) and at --concurrency (throughput), then ORT's own
//       in-process Run on the same model and inputs; prints requests/s, p50/p99 and the protocol's overhead ratio.
// Every phase stops at --requests requests or --seconds seconds, whichever comes first. Loopback addresses only.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args is ["write-models", string dir])
{
    Directory.CreateDirectory(dir);
    File.WriteAllBytes(Path.Combine(dir, "relu.onnx"), ReluModel.Build());
    File.WriteAllBytes(Path.Combine(dir, "mlp.onnx"), MlpModel.Build());
    Console.WriteLine($"wrote {dir}/relu.onnx and {dir}/mlp.onnx");
    return 0;
}

if (args is not ["run", ..])
{
    Console.Error.WriteLine("usage: InferBench write-models DIR | InferBench run --url URL --model-file FILE --model-name NAME [--batches 1,64] [--requests N] [--seconds S] [--concurrency C] [--tolerance 1e-5]");
    return 2;
}

var options = Options.Parse(args[1..]);
if (!options.Url.IsLoopback)
{
    Console.Error.WriteLine($"refusing {options.Url}: this benchmark only talks to loopback addresses");
    return 2;
}

using var session = new InferenceSession(options.ModelFile);
(string inputName, NodeMetadata inputMeta) = session.InputMetadata.Single();
int features = inputMeta.Dimensions[^1];
string outputName = session.OutputNames[0];
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 })
{
    BaseAddress = options.Url,
    Timeout = TimeSpan.FromSeconds(30),
};
await WaitReadyAsync(http);

Console.WriteLine($"model {options.ModelName} ({Path.GetFileName(options.ModelFile)}): {inputName} FP32[-1,{features}] -> {outputName}; " +
    $"ORT {OrtEnv.Instance().GetVersionString()}; {Environment.ProcessorCount} cores; at most {options.Requests} requests or {options.Seconds} s per phase");
Console.WriteLine();
Console.WriteLine("batch | request bytes | HTTP c=1: req/s   p50 ms   p99 ms | HTTP c=" + options.Concurrency.ToString().PadRight(2) +
    ": req/s   p50 ms   p99 ms | ORT Run: p50 ms   p99 ms | overhead p50 (HTTP c=1 / ORT)");
foreach (int batch in options.Batches)
{
    var random = new Random(batch);
    float[] x = Enumerable.Range(0, batch * features).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    byte[] body = JsonSerializer.SerializeToUtf8Bytes(new
    {
        inputs = new[] { new { name = inputName, shape = new long[] { batch, features }, datatype = "FP32", data = x } },
    });

    float[] expected = RunOrt(session, inputName, x, batch, features, outputName);
    await CheckAnswerAsync(http, options.ModelName, body, expected, options.Tolerance);

    await HttpPhase(http, options, body, concurrency: 1, warmup: true); // JIT, connection, ORT arenas
    Phase serial = await HttpPhase(http, options, body, concurrency: 1, warmup: false);
    Phase parallel = await HttpPhase(http, options, body, concurrency: options.Concurrency, warmup: false);
    Phase ort = OrtPhase(session, options, inputName, x, batch, features, outputName);

    Console.WriteLine(
        $"{batch,5} | {body.Length,13} | {serial.Rps,15:F0} {serial.P50,8:F3} {serial.P99,8:F3} | {parallel.Rps,15:F0} {parallel.P50,8:F3} {parallel.P99,8:F3} | " +
        $"{ort.P50,14:F4} {ort.P99,8:F4} | {serial.P50 / ort.P50,8:F1}x  (+{(serial.P50 - ort.P50) * 1000,0:F0} us per request)");
}

return 0;

static async Task WaitReadyAsync(HttpClient http)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync("/v2/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
        }

        if (deadline.Elapsed > TimeSpan.FromSeconds(30))
        {
            throw new TimeoutException($"{http.BaseAddress} was not ready within 30 s");
        }

        await Task.Delay(100);
    }
}

static float[] RunOrt(InferenceSession session, string inputName, float[] x, int batch, int features, string outputName)
{
    using OrtValue input = OrtValue.CreateTensorValueFromMemory(x, [batch, features]);
    using var runOptions = new RunOptions();
    using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [inputName], [input], [outputName]);
    return outputs[0].GetTensorDataAsSpan<float>().ToArray();
}

/// <summary>One real answer first: a benchmark of wrong answers (or of 400s) would measure nothing.</summary>
static async Task CheckAnswerAsync(HttpClient http, string model, byte[] body, float[] expected, double tolerance)
{
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new("application/json");
    using HttpResponseMessage response = await http.PostAsync($"/v2/models/{model}/infer", content);
    string text = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"/infer answered {(int)response.StatusCode}: {text}");
    }

    float[] actual = JsonDocument.Parse(text).RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    // Relative difference against the in-process CPU answer. A CUDA service differs by more than the CPU's 1e-5:
    // ORT's CUDA provider may use TF32 for MatMul on Ampere and later (about 1e-3 relative), so --tolerance.
    double worst = actual.Length == expected.Length
        ? actual.Zip(expected).Select(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.Second))).DefaultIfEmpty(0).Max()
        : double.PositiveInfinity;
    if (worst > tolerance)
    {
        throw new InvalidOperationException($"the service's answer differs from ONNX Runtime's in-process answer (max relative difference {worst:G3} > {tolerance:G3})");
    }

    Console.WriteLine($"answer checked: {actual.Length} values, max relative difference {worst:G3} (tolerance {tolerance:G3})");
}

static async Task<Phase> HttpPhase(HttpClient http, Options options, byte[] body, int concurrency, bool warmup)
{
    int limit = warmup ? Math.Min(200, options.Requests) : options.Requests;
    TimeSpan budget = TimeSpan.FromSeconds(warmup ? Math.Min(3, options.Seconds) : options.Seconds);
    string path = $"/v2/models/{options.ModelName}/infer";
    var latencies = new List<double>[concurrency];
    int issued = 0;
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = new List<double>();
        while (Interlocked.Increment(ref issued) <= limit && wall.Elapsed < budget)
        {
            long start = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using HttpResponseMessage response = await http.PostAsync(path, content);
            _ = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"/infer answered {(int)response.StatusCode}");
            }

            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }));
    return Phase.Of(latencies.SelectMany(l => l).ToList(), wall.Elapsed);
}

static Phase OrtPhase(InferenceSession session, Options options, string inputName, float[] x, int batch, int features, string outputName)
{
    // Same work the service does per request around Run: wrap the input, run, read the output.
    for (int i = 0; i < 50; i++)
    {
        RunOrt(session, inputName, x, batch, features, outputName);
    }

    var latencies = new List<double>();
    var wall = Stopwatch.StartNew();
    while (latencies.Count < options.Requests && wall.Elapsed < TimeSpan.FromSeconds(options.Seconds))
    {
        long start = Stopwatch.GetTimestamp();
        RunOrt(session, inputName, x, batch, features, outputName);
        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    return Phase.Of(latencies, wall.Elapsed);
}

internal sealed record Phase(double Rps, double P50, double P99)
{
    public static Phase Of(List<double> latencies, TimeSpan wall)
    {
        latencies.Sort();
        double Pct(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new Phase(latencies.Count / wall.TotalSeconds, Pct(0.50), Pct(0.99));
    }
}

internal sealed record Options(Uri Url, string ModelFile, string ModelName, int[] Batches, int Requests, double Seconds, int Concurrency, double Tolerance)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i]] = args[i + 1];
        }

        string Get(string key, string? fallback = null) =>
            map.TryGetValue(key, out string? value) ? value : fallback ?? throw new ArgumentException($"missing {key}");
        return new Options(
            new Uri(Get("--url")),
            Get("--model-file"),
            Get("--model-name"),
            Get("--batches", "1,64").Split(',').Select(int.Parse).ToArray(),
            Math.Clamp(int.Parse(Get("--requests", "2000")), 10, 100_000),
            Math.Clamp(double.Parse(Get("--seconds", "10")), 1, 120),
            Math.Clamp(int.Parse(Get("--concurrency", "4")), 1, 64),
            double.Parse(Get("--tolerance", "1e-5"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
