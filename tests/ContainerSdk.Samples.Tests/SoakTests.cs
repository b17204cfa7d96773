using System.Diagnostics;
using System.Net;
using ContainerSdk.Samples.Tests.Infrastructure;
using Grpc.Core;
using Inference;
using OnnxModels;

namespace ContainerSdk.Samples.Tests;

/// <summary>
/// CI's short version of the benchmark's soak (samples/bench, two minutes there): four clients mixing JSON, binary and
/// gRPC, one request in ten hostile, then SIGTERM while they keep sending. Valid requests never fail before the
/// signal; every request sent before it completes with 200; the process exits 0 within the shutdown
/// timeout.
/// </summary>
public sealed class SoakTests : IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);
    private readonly string _modelPath = TestModels.Write("relu", ReluModel.Build());

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_modelPath)!, recursive: true);

    private static readonly TestTensor X = TestTensor.Of("X", "FP32", [2, 4], 1f, 2f, 3f, 4f, -1f, 0f, 1f, 0f);
    private static readonly string[] Y = ["2.5", "5", "0", "0", "2", "1"];

    [Fact]
    public async Task Four_mixed_clients_with_hostile_requests_then_SIGTERM_under_load()
    {
        int grpcPort = ServiceProcess.FreePort();
        await using ServiceProcess service = await ServiceProcess.StartAsync(_modelPath, "relu", $"--Grpc:Port={grpcPort}");
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        long valid = 0, hostile = 0, hostileRefused = 0;
        var errors = new List<string>();
        long sigtermAt = long.MaxValue; // Stopwatch timestamp; requests started before it must succeed
        var stop = new CancellationTokenSource();

        // A request sent in the last moment before the signal may reach a server that is already stopping (503, or a
        // closed keep-alive connection): by design. Anything sent earlier must have succeeded.
        long margin = Stopwatch.Frequency / 5;
        bool BeforeShutdown(long started) => started < Volatile.Read(ref sigtermAt) - margin;

        async Task Client(int id)
        {
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                long started = Stopwatch.GetTimestamp();
                bool isHostile = n % 10 == 9;
                string kind = ((n + id) % 3) switch { 0 => "json", 1 => "binary", _ => "grpc" };
                try
                {
                    bool ok = await SendAsync(http, grpc, kind, isHostile);
                    if (isHostile && BeforeShutdown(started))
                    {
                        Interlocked.Increment(ref hostile);
                        if (ok)
                        {
                            Interlocked.Increment(ref hostileRefused);
                        }
                    }
                    else if (isHostile)
                    {
                        // Shutting down: a hostile request may get 503 instead of 400.
                    }
                    else if (ok)
                    {
                        Interlocked.Increment(ref valid);
                    }
                    else if (BeforeShutdown(started))
                    {
                        lock (errors)
                        {
                            errors.Add($"{kind}: wrong answer");
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or RpcException or TaskCanceledException or IOException)
                {
                    // After SIGTERM, a new request may find the listener closed or get 503/UNAVAILABLE: that is shutdown.
                    if (BeforeShutdown(started))
                    {
                        lock (errors)
                        {
                            errors.Add($"{kind}{(isHostile ? " (hostile)" : "")}: {ex.GetType().Name}: {ex.Message}");
                        }
                    }

                    if (Volatile.Read(ref sigtermAt) != long.MaxValue)
                    {
                        return;
                    }
                }
            }
        }

        long rssStart = Rss(service.ProcessId);
        Task[] clients = Enumerable.Range(0, 4).Select(i => Task.Run(() => Client(i))).ToArray();
        await Task.Delay(Duration);
        long rssEnd = Rss(service.ProcessId);
        lock (errors)
        {
            errors.ShouldBeEmpty($"errors on valid requests before SIGTERM:\n{string.Join("\n", errors.Take(20))}\n{service}");
        }

        Volatile.Write(ref sigtermAt, Stopwatch.GetTimestamp());
        int exitCode = await service.TerminateAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));

        Console.WriteLine($"soak: {valid} valid, {hostile} hostile ({hostileRefused} refused as they should be), RSS {rssStart / 1024} -> {rssEnd / 1024} MiB");
        exitCode.ShouldBe(0, service.Log);
        errors.ShouldBeEmpty($"requests sent before SIGTERM that did not complete:\n{string.Join("\n", errors.Take(20))}\n{service.Log}");
        valid.ShouldBeGreaterThan(100);
        hostileRefused.ShouldBe(hostile, "every hostile request is refused with 400 / INVALID_ARGUMENT");
        rssEnd.ShouldBeLessThan(rssStart * 3, "memory stays bounded");
    }

    /// <summary>True when a valid request got the right answer, or a hostile one was refused as the protocol says.</summary>
    private static async Task<bool> SendAsync(HttpClient http, GRPCInferenceService.GRPCInferenceServiceClient grpc, string kind, bool hostile)
    {
        switch (kind)
        {
            case "json":
            {
                string body = hostile
                    ? """{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","data":[1,2,3]}]}"""
                    : """{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,-1,0,1,0]}]}""";
                var (status, answer) = await http.PostRawAsync("/v2/models/relu/infer", body);
                return hostile ? status == HttpStatusCode.BadRequest
                    : status == HttpStatusCode.OK && answer.GetProperty("outputs")[0].GetProperty("data").GetRawText() == "[2.5,5,0,0,2,1]";
            }

            case "binary":
            {
                HttpContent content = hostile
                    ? Wire.Framed("{\"inputs\":[]}"u8.ToArray(), [1, 2, 3], "99999")
                    : Wire.BinaryRequest([X]);
                var (status, _, outputs) = await http.PostBinaryAsync("relu", content);
                return hostile ? status == HttpStatusCode.BadRequest : status == HttpStatusCode.OK && outputs[0].Values.SequenceEqual(Y);
            }

            default:
            {
                ModelInferRequest request = Wire.GrpcRequest("relu", [X]);
                if (hostile)
                {
                    request.RawInputContents[0] = Google.Protobuf.ByteString.CopyFrom(request.RawInputContents[0].Span[..31]);
                    try
                    {
                        await grpc.ModelInferAsync(request);
                        return false;
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
                    {
                        return true;
                    }
                }

                return Wire.Outputs(await grpc.ModelInferAsync(request))[0].Values.SequenceEqual(Y);
            }
        }
    }

    private static long Rss(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture))
            .Single();
}
