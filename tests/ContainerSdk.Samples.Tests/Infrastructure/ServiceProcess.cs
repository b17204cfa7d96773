using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Samples.Tests.Infrastructure;

/// <summary>
/// The inference service in a child process, started as its container starts it (<c>dotnet App.dll</c>) on
/// 127.0.0.1 with a port Kestrel picks (<c>--urls http://127.0.0.1:0</c>, read back from its "Now listening on"
/// line, so no free-port race), waited for with a bound, and always stopped.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The app under test: this assembly, whose entry point is the CpuInference sample's Program.cs
    /// (see the .csproj), or a real sample build named by SAMPLES_TESTS_APP.</summary>
    public static string AppPath =>
        Environment.GetEnvironmentVariable("SAMPLES_TESTS_APP") is { Length: > 0 } app ? Path.GetFullPath(app) : typeof(ServiceProcess).Assembly.Location;

    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the service on <paramref name="modelPath"/> and returns once /v2/health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string modelPath, string modelName, params string[] extraArgs)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Model:Path={modelPath}", $"--Model:Name={modelName}", .. extraArgs];
        return await StartAsync(args, environment: null);
    }

    public static async Task<ServiceProcess> StartAsync(IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var service = new ServiceProcess(Launch(args, environment));
        service.Pump();
        try
        {
            await service.WaitReadyAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the app to completion (a probe, a start that must fail) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, TimeSpan Elapsed)> RunToExitAsync(IEnumerable<string> args,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var service = new ServiceProcess(Launch(args, environment));
        service.Pump();
        using var cts = new CancellationTokenSource(timeout ?? StartTimeout);
        try
        {
            await service._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await service.DisposeAsync();
            throw new TimeoutException($"the app did not exit within {timeout ?? StartTimeout}; output:\n{service.Log}");
        }

        service._process.WaitForExit(); // drains the output pumps
        return (service._process.ExitCode, service.Log, watch.Elapsed);
    }

    /// <summary>SIGTERM, as a container runtime stops a container: the host's graceful shutdown. Returns the exit
    /// code, or throws if the process has not exited within <paramref name="timeout"/> (then it is killed).</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && Kill(_process.Id, SignalTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the service did not exit within {timeout} of SIGTERM; output:\n{Log}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone, or stuck in the kernel; nothing more a test can do.
        }

        _process.Dispose();
    }

    /// <summary>A loopback port free at the moment of asking, for gRPC (whose port 0 means "off", so Kestrel cannot
    /// pick it). Another process could take it before the service binds; the service then fails to start, loudly.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public override string ToString() => $"service pid {_process.Id} at {BaseAddress}; output:\n{Log}";

    private static Process Launch(IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(AppPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing from the test runner's environment may choose the addresses: the tests pass them explicitly.
        foreach (string name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(name);
        }

        // The tests' build has no appsettings.json beside it: keep request logging out of the captured output.
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // gRPC's default port (8081) is one port for every service the tests start at once: off unless a test asks
        // for it (a --Grpc:Port argument outranks this).
        start.Environment["Grpc__Port"] = "0";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
    }

    /// <summary>The dotnet executable running the tests (dotnet test sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Pump()
    {
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                // A wildcard address (ASPNETCORE_HTTP_PORTS binds [::]) is reached on loopback.
                _listening.TrySetResult(new Uri(match.Groups[1].Value.Replace("//[::]:", "//127.0.0.1:").Replace("//0.0.0.0:", "//127.0.0.1:")));
            }
        }

        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitReadyAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Task exited = _process.WaitForExitAsync(cts.Token);
        Task first = await Task.WhenAny(_listening.Task, exited, Task.Delay(Timeout.Infinite, cts.Token));
        if (first != _listening.Task)
        {
            throw new InvalidOperationException(_process.HasExited
                ? $"the service exited with code {_process.ExitCode} before listening; output:\n{Log}"
                : $"the service did not listen within {StartTimeout}; output:\n{Log}");
        }

        BaseAddress = await _listening.Task;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        while (true)
        {
            cts.Token.ThrowIfCancellationRequested();
            try
            {
                using HttpResponseMessage response = await Http.GetAsync("/v2/health/ready", cts.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Listening is logged just before the first accept; retry.
            }

            await Task.Delay(50, cts.Token);
        }
    }

    private const int SignalTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
