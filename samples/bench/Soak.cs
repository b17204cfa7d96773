using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Inference;
using Microsoft.ML.OnnxRuntime;

/// <summary>
/// The bounded soak: the service in its own process, <see cref="Options.Clients"/> clients for
/// <see cref="Options.Seconds"/> seconds mixing JSON, binary and gRPC with one request in ten hostile, RSS sampled
/// every second; then SIGTERM while the clients keep sending.
/// </summary>
internal static class Soak
{
    public static async Task<int> RunAsync(Options options)
    {
        string app = options.App ?? throw new ArgumentException("missing --app");
        int grpcPort = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { app, "--urls", "http://127.0.0.1:0", $"--Model:Path={Path.GetFullPath(options.ModelFile)}", $"--Model:Name={options.ModelName}",
                     $"--Model:Device={options.Device}", $"--Grpc:Port={grpcPort}", "--Logging:LogLevel:Default=Warning",
                     "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process service = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
            }

            if (Regex.Match(line, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        }

        service.OutputDataReceived += (_, e) => OnLine(e.Data);
        service.ErrorDataReceived += (_, e) => OnLine(e.Data);
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            Uri url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using HttpClient http = Clients.Http(url);
            await Clients.WaitReadyAsync(http);
            using GrpcChannel channel = Clients.Channel(new Uri($"http://127.0.0.1:{grpcPort}"));
            var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
            using var session = new InferenceSession(options.ModelFile);
            var work = new Workload(session, options.ModelName, 8);
            float[] expected = work.RunOrt(session);
            return await SoakAsync(options, service, http, grpc, work, expected, () => { lock (log) { return log.ToString(); } });
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<int> SoakAsync(Options options, Process service, HttpClient http, GRPCInferenceService.GRPCInferenceServiceClient grpc,
        Workload work, float[] expected, Func<string> log)
    {
        string path = $"/v2/models/{options.ModelName}/infer";
        var samples = new List<(double At, double Ms, string Kind)>[options.Clients];
        long validErrors = 0, hostileNotRefused = 0, valid = 0, hostile = 0, lateFailures = 0;
        var firstErrors = new List<string>();
        var wall = Stopwatch.StartNew();
        double sigtermAt = double.MaxValue;
        var stop = new CancellationTokenSource();
        var rss = new List<(double At, long Kb)>();

        async Task Client(int id)
        {
            var mine = samples[id] = new List<(double, double, string)>();
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                double at = wall.Elapsed.TotalSeconds;
                bool bad = n % 10 == 9;
                string kind = ((n + id) % 3) switch { 0 => "json", 1 => "binary", _ => "grpc" };
                long t0 = Stopwatch.GetTimestamp();
                bool ok;
                string? error = null;
                try
                {
                    ok = await SendAsync(http, grpc, path, work, expected, kind, bad);
                }
                catch (Exception ex) when (ex is HttpRequestException or RpcException or TaskCanceledException or IOException or InvalidOperationException)
                {
                    ok = false;
                    error = $"{kind}{(bad ? " (hostile)" : "")}: {ex.GetType().Name}: {ex.Message}";
                }

                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                bool beforeShutdown = at < Volatile.Read(ref sigtermAt) - 0.2;
                if (!beforeShutdown)
                {
                    if (!ok && !bad)
                    {
                        Interlocked.Increment(ref lateFailures);
                    }

                    if (error is not null)
                    {
                        return; // the listener is gone
                    }

                    continue;
                }

                if (bad)
                {
                    Interlocked.Increment(ref hostile);
                    if (!ok)
                    {
                        Interlocked.Increment(ref hostileNotRefused);
                    }
                }
                else
                {
                    Interlocked.Increment(ref valid);
                    mine.Add((at, ms, kind));
                    if (!ok)
                    {
                        Interlocked.Increment(ref validErrors);
                        lock (firstErrors)
                        {
                            if (firstErrors.Count < 10)
                            {
                                firstErrors.Add(error ?? $"{kind}: wrong answer");
                            }
                        }
                    }
                }
            }
        }

        Task sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !service.HasExited)
            {
                // An exiting process has no VmRSS line any more, and then no /proc entry.
                if (Rss(service.Id) is long kb and > 0)
                {
                    rss.Add((wall.Elapsed.TotalSeconds, kb));
                }

                await Task.Delay(1000);
            }
        });
        Task[] clients = Enumerable.Range(0, options.Clients).Select(i => Task.Run(() => Client(i))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));

        // SIGTERM under load: the clients keep sending.
        Volatile.Write(ref sigtermAt, wall.Elapsed.TotalSeconds);
        var term = Stopwatch.StartNew();
        Process.Start("kill", ["-TERM", service.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        bool exited = service.WaitForExit(TimeSpan.FromSeconds(35));
        double exitSeconds = term.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));
        await sampler;

        double end = sigtermAt;
        var all = samples.SelectMany(s => s).ToList();
        double P99(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
        }

        double window = Math.Min(30, end / 2);
        double p99First = P99(all.Where(s => s.At < window).Select(s => s.Ms));
        double p99Last = P99(all.Where(s => s.At >= end - window).Select(s => s.Ms));
        double rssFirst = rss.Where(r => r.At < window).Select(r => (double)r.Kb).DefaultIfEmpty(double.NaN).Average();
        double rssLast = rss.Where(r => r.At >= end - window && r.At < end).Select(r => (double)r.Kb).DefaultIfEmpty(double.NaN).Average();
        int exitCode = exited ? service.ExitCode : -1;

        Console.WriteLine($"soak: {options.Clients} clients, {options.Seconds:F0} s, model {options.ModelName} batch 8, JSON/binary/gRPC mixed, 1 in 10 hostile");
        Console.WriteLine($"| figure | value | target |");
        Console.WriteLine($"|---|---:|---|");
        Console.WriteLine($"| valid requests | {valid} ({valid / end:F0}/s) | |");
        Console.WriteLine($"| error responses to valid requests | {validErrors} | 0 |");
        Console.WriteLine($"| hostile requests not refused with 400 / INVALID_ARGUMENT | {hostileNotRefused} of {hostile} | 0 |");
        Console.WriteLine($"| RSS, mean of first {window:F0} s -> last {window:F0} s | {rssFirst / 1024:F1} -> {rssLast / 1024:F1} MiB ({(rssLast / rssFirst - 1) * 100:+0.0;-0.0} %) | < 10 % |");
        Console.WriteLine($"| p99 latency, first {window:F0} s -> last {window:F0} s | {p99First:F3} -> {p99Last:F3} ms | |");
        Console.WriteLine($"| SIGTERM under load: exit code, seconds to exit | {(exited ? exitCode.ToString(CultureInfo.InvariantCulture) : "did not exit")}, {exitSeconds:F2} s | 0, within the shutdown timeout |");
        Console.WriteLine($"| valid requests sent after SIGTERM that were refused (503 / closed listener: by design) | {lateFailures} | |");
        foreach (string error in firstErrors)
        {
            Console.WriteLine($"  error: {error}");
        }

        if (exitCode != 0)
        {
            Console.WriteLine(log());
        }

        return validErrors == 0 && hostileNotRefused == 0 && exitCode == 0 ? 0 : 1;
    }

    private static async Task<bool> SendAsync(HttpClient http, GRPCInferenceService.GRPCInferenceServiceClient grpc, string path, Workload work,
        float[] expected, string kind, bool hostile)
    {
        switch (kind)
        {
            case "json":
            {
                var content = new ByteArrayContent(hostile ? Encoding.UTF8.GetBytes("{\"inputs\":[{\"name\":\"" + work.InputName + "\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1,2]}]}") : work.Json);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using HttpResponseMessage response = await http.PostAsync(path, content);
                byte[] body = await response.Content.ReadAsByteArrayAsync();
                return hostile ? response.StatusCode == HttpStatusCode.BadRequest
                    : response.StatusCode == HttpStatusCode.OK && Same(Workload.JsonOutput(body), expected);
            }

            case "binary":
            {
                HttpContent content;
                if (hostile)
                {
                    // A header length far beyond the body.
                    content = new ByteArrayContent(work.Binary);
                    content.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", "999999999");
                }
                else
                {
                    content = work.BinaryContent();
                }

                using HttpResponseMessage response = await http.PostAsync(path, content);
                byte[] body = await response.Content.ReadAsByteArrayAsync();
                return hostile ? response.StatusCode == HttpStatusCode.BadRequest
                    : response.StatusCode == HttpStatusCode.OK && Same(Workload.BinaryOutput(response, body), expected);
            }

            default:
            {
                if (hostile)
                {
                    ModelInferRequest bad = work.Grpc.Clone();
                    bad.RawInputContents[0] = ByteString.CopyFrom(work.Raw.AsSpan(0, work.Raw.Length - 1));
                    try
                    {
                        await grpc.ModelInferAsync(bad);
                        return false;
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
                    {
                        return true;
                    }
                }

                ModelInferResponse answer = await grpc.ModelInferAsync(work.Grpc);
                return Same(Workload.Floats(answer.RawOutputContents[0].Span), expected);
            }
        }
    }

    private static bool Same(float[] actual, float[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1e-4 * Math.Max(1, Math.Abs(p.Second)));

    private static long Rss(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
