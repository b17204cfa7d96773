using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ContainerSdk.Samples.Tests.Infrastructure;
using OnnxModels;

namespace ContainerSdk.Samples.Tests;

/// <summary>The app as a process: configuration the ASP.NET way, the HEALTHCHECK probe mode, exit codes when the
/// model cannot be served, the CUDA fallback, and graceful shutdown on SIGTERM.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _reluPath = TestModels.Write("relu", ReluModel.Build());

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_reluPath)!, recursive: true);

    [Fact]
    public async Task Model_device_and_address_come_from_environment_variables_and_CUDA_falls_back_to_the_CPU()
    {
        var environment = new Dictionary<string, string>
        {
            ["Model__Path"] = _reluPath,
            ["Model__Name"] = "scorer",
            // The tests use the CPU-only ORT package, where CUDA calls throw EntryPointNotFoundException, not
            // OnnxRuntimeException: the fallback must catch that too.
            ["Model__Device"] = "cuda",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };
        await using ServiceProcess service = await ServiceProcess.StartAsync([], environment);

        service.BaseAddress.Host.ShouldBe("127.0.0.1");
        (await service.Http.GetJsonAsync("/v2/models/relu")).ShouldBeError(HttpStatusCode.NotFound);
        var (status, body) = await service.Http.InferAsync("scorer", TestTensor.Of("X", "FP32", [1, 4], 1f, 2f, 3f, 4f));
        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("model_name").GetString().ShouldBe("scorer");

        if (!File.Exists(Path.Combine(Path.GetDirectoryName(ServiceProcess.AppPath)!, "runtimes", "linux-x64", "native", "libonnxruntime_providers_cuda.so")))
        {
            service.Log.ShouldContain("EntryPointNotFoundException"); // the CPU package's way of saying "no CUDA"
        }

        service.Log.ShouldContain("falling back to CPUExecutionProvider");
        var (_, ready) = await service.Http.GetJsonAsync("/v2/health/ready");
        ready.GetProperty("parameters").GetProperty("provider").GetString().ShouldBe("CPUExecutionProvider");
        var (_, meta) = await service.Http.GetJsonAsync("/v2/models/scorer");
        meta.GetProperty("parameters").GetProperty("provider").GetString().ShouldBe("CPUExecutionProvider");
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/v2/health/ready")] // nothing listens on port 1
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/ready")]
    [InlineData(null)]
    public async Task Probe_exits_1_when_there_is_no_healthy_answer(string? url)
    {
        var watch = Stopwatch.StartNew();
        var result = await ServiceProcess.RunToExitAsync(url is null ? ["--containersdk-probe"] : ["--containersdk-probe", url]);
        result.ExitCode.ShouldBe(1, result.Output);
        result.Output.ShouldStartWith("containersdk-probe:");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), result.Output);
    }

    [Fact]
    public async Task Probe_gives_up_after_its_timeout_on_a_server_that_never_answers()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel's backlog) but never answers
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var result = await ServiceProcess.RunToExitAsync(["--containersdk-probe", $"http://127.0.0.1:{port}/v2/health/ready"]);
        result.ExitCode.ShouldBe(1, result.Output);
        result.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), result.Output);
    }

    [Fact]
    public async Task A_missing_model_file_fails_the_start_with_exit_code_1_and_says_why()
    {
        var result = await ServiceProcess.RunToExitAsync(["--urls", "http://127.0.0.1:0", "--Model:Path=/nonexistent/model.onnx"]);
        result.ExitCode.ShouldBe(1, result.Output);
        result.Output.ShouldContain("Model file not found at /nonexistent/model.onnx");
        result.Output.ShouldNotContain("Now listening");
    }

    [Fact]
    public async Task A_file_that_is_not_an_onnx_model_fails_the_start_with_exit_code_1()
    {
        string path = Path.Combine(Path.GetDirectoryName(_reluPath)!, "garbage.onnx");
        File.WriteAllBytes(path, [.. "this is not protobuf"u8, 0xFF, 0xFF, 0xFF]);
        var result = await ServiceProcess.RunToExitAsync(["--urls", "http://127.0.0.1:0", $"--Model:Path={path}"]);
        result.ExitCode.ShouldBe(1, result.Output);
        result.Output.ShouldContain("Could not load the ONNX model");
    }

    [Theory]
    [InlineData("--Model:Device=tpu", "Model:Device")]
    [InlineData("--Inference:MaxRequestBodyBytes=lots", "Inference:MaxRequestBodyBytes")]
    [InlineData("--Inference:MaxElements=0", "Inference:MaxElements")]
    public async Task Invalid_settings_fail_the_start_with_exit_code_1_naming_the_setting(string arg, string setting)
    {
        var result = await ServiceProcess.RunToExitAsync(["--urls", "http://127.0.0.1:0", $"--Model:Path={_reluPath}", arg]);
        result.ExitCode.ShouldBe(1, result.Output);
        result.Output.ShouldContain(setting);
    }

    [Fact]
    public async Task SIGTERM_lets_the_request_in_flight_finish_then_exits_0()
    {
        string slowPath = Path.Combine(Path.GetDirectoryName(_reluPath)!, "slow.onnx");
        File.WriteAllBytes(slowPath, TestModels.Slow());
        await using ServiceProcess service = await ServiceProcess.StartAsync(slowPath, "slow", "--Model:IntraOpThreads=1");

        // Calibrate on the faster of two runs at n = 512 (n^3 work per round; the faster one is the least disturbed
        // by other load), then pick the size that takes about 2 s on this machine.
        double fastest = double.MaxValue;
        for (int i = 0; i < 2; i++)
        {
            var watch = Stopwatch.StartNew();
            (await service.Http.InferAsync("slow", TestTensor.Of("size", "INT64", [2], 512L, 512L))).Status.ShouldBe(HttpStatusCode.OK);
            fastest = Math.Min(fastest, watch.Elapsed.TotalSeconds);
        }

        int size = (int)Math.Clamp(512 * Math.Cbrt(2.0 / Math.Max(fastest, 0.001)), 512, 4096);

        var watchInFlight = Stopwatch.StartNew();
        Task<(HttpStatusCode Status, JsonElement Body)> inFlight = service.Http.InferAsync("slow", TestTensor.Of("size", "INT64", [2], (long)size, (long)size));
        await Task.Delay(300); // the request is now inside ORT's Run
        inFlight.IsCompleted.ShouldBeFalse("the calibrated request finished too early to test shutdown");

        TimeSpan terminatedAt = watchInFlight.Elapsed;
        Task<int> exit = service.TerminateAsync(TimeSpan.FromSeconds(30));
        Task<TimeSpan> answeredAt = inFlight.ContinueWith(_ => watchInFlight.Elapsed, TaskScheduler.Default);
        Task<TimeSpan> exitedAt = exit.ContinueWith(_ => watchInFlight.Elapsed, TaskScheduler.Default);
        var (status, body) = await inFlight;
        status.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("outputs")[0].GetProperty("data").GetRawText().ShouldBe("[0]");
        (await exit).ShouldBe(0, service.Log);
        service.Log.ShouldContain("Shutting down");
        // Graceful: the request that was running when SIGTERM arrived was answered after it, and the process exited
        // only once that answer was out.
        (await answeredAt).ShouldBeGreaterThan(terminatedAt);
        (await exitedAt).ShouldBeGreaterThanOrEqualTo(await answeredAt);
    }
}
