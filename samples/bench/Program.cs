using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Inference;
using Microsoft.ML.OnnxRuntime;
using OnnxModels;

// The inference benchmark (infer-bench.sh starts the processes and calls this):
//   InferBench write-models DIR
//       relu.onnx (12 weights), mlp.onnx (256 -> 512 -> 16) and conv.onnx (3x32x32 -> 2 convs -> 10)
//   InferBench floor --urls http://127.0.0.1:0 --grpc-port P
//       the floor: a bare Kestrel endpoint that returns the request body it received (POST /v2/models/{name}/infer)
//       and a bare inference.GRPCInferenceService whose ModelInfer returns the raw tensors it received; no inference
//   InferBench run --url URL --grpc-url URL --floor-url URL --floor-grpc-url URL --model-file FILE --model-name NAME
//                  [--batches 1,64] [--requests 2000] [--seconds 5] [--tolerance 1e-5]
//       per batch size, at one client: JSON, binary and gRPC requests/s and p50/p99, the floors, ORT's in-process
//       Run on the same inputs, and the ratios
//   InferBench soak --app DLL --model-file FILE --model-name NAME [--seconds 120] [--clients 4] [--device cpu]
//       starts the service, four clients mix JSON, binary and gRPC with one request in ten hostile, then SIGTERM
//       under load; prints errors on valid requests, RSS and p99 of the first vs the last 30 s, the exit code
// Every phase stops at --requests requests or --seconds seconds, whichever comes first. Loopback addresses only.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
switch (args)
{
    case ["write-models", string dir]:
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "relu.onnx"), ReluModel.Build());
        File.WriteAllBytes(Path.Combine(dir, "mlp.onnx"), MlpModel.Build());
        File.WriteAllBytes(Path.Combine(dir, "conv.onnx"), ConvModel.Build());
        Console.WriteLine($"wrote {dir}/relu.onnx, mlp.onnx and conv.onnx");
        return 0;
    case ["floor", .. var rest]:
        return Floor.Run(rest);
    case ["run", .. var rest]:
        return await Bench.RunAsync(Options.Parse(rest));
    case ["soak", .. var rest]:
        return await Soak.RunAsync(Options.Parse(rest));
    default:
        Console.Error.WriteLine("usage: InferBench write-models DIR | floor --urls URL --grpc-port P | run --url URL --grpc-url URL --floor-url URL --floor-grpc-url URL --model-file FILE --model-name NAME [...] | soak --app DLL --model-file FILE --model-name NAME [...]");
        return 2;
}

/// <summary>One model input of FP32[-1, ...] and its tensors in the three encodings, built without the service's code.</summary>
internal sealed class Workload
{
    public Workload(InferenceSession session, string modelName, int batch)
    {
        (InputName, NodeMetadata meta) = session.InputMetadata.Single();
        OutputName = session.OutputNames[0];
        Shape = [batch, .. meta.Dimensions.Skip(1).Select(d => (long)d)];
        int count = (int)Shape.Aggregate(1L, (a, d) => a * d);
        var random = new Random(batch);
        Values = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Raw = new byte[count * 4];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(Raw.AsSpan(i * 4), Values[i]);
        }

        Json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            inputs = new[] { new { name = InputName, shape = Shape, datatype = "FP32", data = Values } },
        });
        BinaryHeader = JsonSerializer.SerializeToUtf8Bytes(new
        {
            inputs = new[] { new { name = InputName, shape = Shape, datatype = "FP32", parameters = new { binary_data_size = Raw.Length } } },
            parameters = new { binary_data_output = true },
        });
        Binary = [.. BinaryHeader, .. Raw];
        Grpc = new ModelInferRequest { ModelName = modelName };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = InputName, Datatype = "FP32" };
        input.Shape.AddRange(Shape);
        Grpc.Inputs.Add(input);
        Grpc.RawInputContents.Add(ByteString.CopyFrom(Raw));
    }

    public string InputName { get; }
    public string OutputName { get; }
    public long[] Shape { get; }
    public float[] Values { get; }
    public byte[] Raw { get; }
    public byte[] Json { get; }
    public byte[] BinaryHeader { get; }
    public byte[] Binary { get; }
    public ModelInferRequest Grpc { get; }

    public HttpContent JsonContent()
    {
        var content = new ByteArrayContent(Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public HttpContent BinaryContent()
    {
        var content = new ByteArrayContent(Binary);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", BinaryHeader.Length.ToString(CultureInfo.InvariantCulture));
        return content;
    }

    public float[] RunOrt(InferenceSession session)
    {
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(Values, Shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [InputName], [value], [OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The first output of a response in any of the three forms, as floats.</summary>
    public static float[] JsonOutput(byte[] body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public static float[] BinaryOutput(HttpResponseMessage response, byte[] body)
    {
        int header = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        JsonElement output = JsonDocument.Parse(body.AsMemory(0, header)).RootElement.GetProperty("outputs")[0];
        int size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
        return Floats(body.AsSpan(header, size));
    }

    public static float[] Floats(ReadOnlySpan<byte> raw)
    {
        var values = new float[raw.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
        }

        return values;
    }
}

internal static class Bench
{
    public static async Task<int> RunAsync(Options options)
    {
        foreach (Uri? url in new[] { options.Url, options.GrpcUrl, options.FloorUrl, options.FloorGrpcUrl })
        {
            if (url is not null && !url.IsLoopback)
            {
                Console.Error.WriteLine($"refusing {url}: this benchmark only talks to loopback addresses");
                return 2;
            }
        }

        using var session = new InferenceSession(options.ModelFile);
        using var http = Clients.Http(options.Url!);
        using var floorHttp = Clients.Http(options.FloorUrl!);
        using GrpcChannel channel = Clients.Channel(options.GrpcUrl!);
        using GrpcChannel floorChannel = Clients.Channel(options.FloorGrpcUrl!);
        var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var floorGrpc = new GRPCInferenceService.GRPCInferenceServiceClient(floorChannel);
        await Clients.WaitReadyAsync(http);

        Console.WriteLine($"model {options.ModelName} ({Path.GetFileName(options.ModelFile)}); ORT {OrtEnv.Instance().GetVersionString()}; " +
            $"{Environment.ProcessorCount} cores; one client; at most {options.Requests} requests or {options.Seconds} s per phase; latencies in ms");
        Console.WriteLine();
        Console.WriteLine("| batch | protocol | request bytes | req/s | p50 | p99 | p50 − ORT p50 | floor p50 | overhead / floor | p50 / JSON p50 |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        bool targetsMet = true;
        foreach (int batch in options.Batches)
        {
            var work = new Workload(session, options.ModelName, batch);
            float[] expected = work.RunOrt(session);
            string path = $"/v2/models/{options.ModelName}/infer";

            // One real answer per protocol first: a benchmark of wrong answers would measure nothing.
            Check("json", expected, await PostAsync(http, path, work.JsonContent(), (r, b) => Workload.JsonOutput(b)), options.Tolerance);
            Check("binary", expected, await PostAsync(http, path, work.BinaryContent(), Workload.BinaryOutput), options.Tolerance);
            Check("grpc", expected, Workload.Floats((await grpc.ModelInferAsync(work.Grpc)).RawOutputContents[0].Span), options.Tolerance);
            byte[] echoed = (await floorGrpc.ModelInferAsync(work.Grpc)).RawOutputContents[0].ToByteArray();
            if (!echoed.AsSpan().SequenceEqual(work.Raw))
            {
                throw new InvalidOperationException("the gRPC floor did not return the bytes it was sent");
            }

            Func<Task> json = async () => await SendAsync(http, path, work.JsonContent());
            Func<Task> binary = async () => await SendAsync(http, path, work.BinaryContent());
            Func<Task> grpcCall = async () => await grpc.ModelInferAsync(work.Grpc);
            Func<Task> httpFloor = async () => await SendAsync(floorHttp, path, work.BinaryContent());
            Func<Task> grpcFloor = async () => await floorGrpc.ModelInferAsync(work.Grpc);

            Phase ort = OrtPhase(session, work, options);
            Phase j = await Measure(json, options);
            Phase b = await Measure(binary, options);
            Phase g = await Measure(grpcCall, options);
            Phase hf = await Measure(httpFloor, options);
            Phase gf = await Measure(grpcFloor, options);

            void Row(string protocol, int bytes, Phase p, Phase? floor, string floorName)
            {
                string overhead = floor is null ? "" : $"{p.P50 - ort.P50:F3}";
                string floorP50 = floor is null ? "" : $"{floor.P50:F3} ({floorName})";
                string ratio = floor is null ? "" : $"{(p.P50 - ort.P50) / floor.P50:F2}x";
                string vsJson = protocol == "json" ? "" : $"{p.P50 / j.P50:F2}x";
                Console.WriteLine($"| {batch} | {protocol} | {bytes} | {p.Rps:F0} | {p.P50:F3} | {p.P99:F3} | {overhead} | {floorP50} | {ratio} | {vsJson} |");
            }

            Row("json", work.Json.Length, j, null, "");
            Row("binary", work.Binary.Length, b, hf, "Kestrel echo");
            Row("grpc", work.Grpc.CalculateSize(), g, gf, "gRPC echo");
            Console.WriteLine($"| {batch} | floor: Kestrel echo | {work.Binary.Length} | {hf.Rps:F0} | {hf.P50:F3} | {hf.P99:F3} | | | | |");
            Console.WriteLine($"| {batch} | floor: gRPC echo | {work.Grpc.CalculateSize()} | {gf.Rps:F0} | {gf.P50:F3} | {gf.P99:F3} | | | | |");
            Console.WriteLine($"| {batch} | ORT in-process Run | | {ort.Rps:F0} | {ort.P50:F3} | {ort.P99:F3} | | | | |");
            if (batch == 64)
            {
                double binaryFloor = (b.P50 - ort.P50) / hf.P50, grpcFloorRatio = (g.P50 - ort.P50) / gf.P50;
                double binaryJson = b.P50 / j.P50, grpcJson = g.P50 / j.P50;
                targetsMet &= binaryFloor <= 1.5 && grpcFloorRatio <= 1.5 && binaryJson <= 0.2 && grpcJson <= 0.2;
                Console.Error.WriteLine($"targets at batch 64 ({options.ModelName}): binary overhead {binaryFloor:F2}x its floor (<= 1.5), gRPC overhead {grpcFloorRatio:F2}x its floor (<= 1.5), " +
                    $"binary p50 {binaryJson:F2}x JSON's (<= 0.2), gRPC p50 {grpcJson:F2}x JSON's (<= 0.2)");
            }
        }

        Console.Error.WriteLine(targetsMet ? "all targets met" : "NOT all targets met (see above)");
        return 0;
    }

    private static async Task<float[]> PostAsync(HttpClient http, string path, HttpContent content, Func<HttpResponseMessage, byte[], float[]> read)
    {
        using HttpResponseMessage response = await http.PostAsync(path, content);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        return read(response, body);
    }

    private static async Task SendAsync(HttpClient http, string path, HttpContent content)
    {
        using HttpResponseMessage response = await http.PostAsync(path, content);
        _ = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        }
    }

    private static void Check(string protocol, float[] expected, float[] actual, double tolerance)
    {
        // Relative difference against the in-process CPU answer; a CUDA service may use TF32 (about 1e-3).
        double worst = actual.Length == expected.Length
            ? actual.Zip(expected).Select(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.Second))).DefaultIfEmpty(0).Max()
            : double.PositiveInfinity;
        if (worst > tolerance)
        {
            throw new InvalidOperationException($"{protocol}: the service's answer differs from ORT's in-process answer (max relative difference {worst:G3} > {tolerance:G3})");
        }
    }

    private static async Task<Phase> Measure(Func<Task> send, Options options)
    {
        // Long enough for tiered compilation to reach its optimized code on both sides (it promotes methods in the
        // background, late on a busy machine): the first phase measured otherwise pays for it.
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < 1000 && warmup.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            await send();
        }

        var latencies = new List<double>();
        var wall = Stopwatch.StartNew();
        while (latencies.Count < options.Requests && wall.Elapsed < TimeSpan.FromSeconds(options.Seconds))
        {
            long start = Stopwatch.GetTimestamp();
            await send();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Phase.Of(latencies, wall.Elapsed);
    }

    private static Phase OrtPhase(InferenceSession session, Workload work, Options options)
    {
        // The same work the service does per request around Run: wrap the input, run, read the output.
        for (int i = 0; i < 50; i++)
        {
            work.RunOrt(session);
        }

        var latencies = new List<double>();
        var wall = Stopwatch.StartNew();
        while (latencies.Count < options.Requests && wall.Elapsed < TimeSpan.FromSeconds(options.Seconds))
        {
            long start = Stopwatch.GetTimestamp();
            work.RunOrt(session);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Phase.Of(latencies, wall.Elapsed);
    }
}

internal static class Clients
{
    public static HttpClient Http(Uri url) => new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 })
    {
        BaseAddress = url,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static GrpcChannel Channel(Uri url) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true },
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
    });

    public static async Task WaitReadyAsync(HttpClient http)
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
}

internal sealed record Phase(double Rps, double P50, double P99)
{
    public static Phase Of(List<double> latencies, TimeSpan wall)
    {
        latencies.Sort();
        double Pct(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new Phase(latencies.Count / wall.TotalSeconds, Pct(0.50), Pct(0.99));
    }
}

internal sealed record Options(Uri? Url, Uri? GrpcUrl, Uri? FloorUrl, Uri? FloorGrpcUrl, string ModelFile, string ModelName, int[] Batches,
    int Requests, double Seconds, double Tolerance, string? App, int Clients, string Device)
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
        Uri? Url(string key) => map.TryGetValue(key, out string? value) ? new Uri(value) : null;
        return new Options(
            Url("--url"), Url("--grpc-url"), Url("--floor-url"), Url("--floor-grpc-url"),
            Get("--model-file"),
            Get("--model-name"),
            Get("--batches", "1,64").Split(',').Select(int.Parse).ToArray(),
            Math.Clamp(int.Parse(Get("--requests", "2000")), 10, 1_000_000),
            Math.Clamp(double.Parse(Get("--seconds", "5")), 1, 600),
            double.Parse(Get("--tolerance", "1e-5"), CultureInfo.InvariantCulture),
            map.GetValueOrDefault("--app"),
            Math.Clamp(int.Parse(Get("--clients", "4")), 1, 64),
            Get("--device", "cpu"));
    }
}
