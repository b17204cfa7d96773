using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContainerSdk.Samples.Tests.Infrastructure;
using OnnxModels;

namespace ContainerSdk.Samples.Tests;

/// <summary>
/// A client that shares no code with the service, not even the language: clients/kserve_client.py, with gRPC stubs
/// that Debian's grpc_tools compiles from the .proto here, and the binary tensor data extension over HTTP/1.1 by hand
/// (http.client + struct). JSON, binary and gRPC must agree with each other and with ORT, hostile requests must get
/// 400 / INVALID_ARGUMENT / NOT_FOUND with messages, and the service must answer afterwards.
/// </summary>
public sealed class IndependentClientTests
{
    private const string Python = "/usr/bin/python3";

    private static byte[] Model() => new OnnxModelBuilder("py")
        .Node("Relu", ["x"], ["y"]).Node("Identity", ["h"], ["h_out"]).Node("Identity", ["n"], ["n_out"])
        .Node("Not", ["b"], ["b_out"]).Node("Identity", ["s"], ["s_out"])
        .Input("x", OnnxDataType.Float, "batch", 4).Input("h", OnnxDataType.Float16, "k").Input("n", OnnxDataType.Int64, "m")
        .Input("b", OnnxDataType.Bool, "q").Input("s", OnnxDataType.String, "r")
        .Output("y", OnnxDataType.Float, "batch", 4).Output("h_out", OnnxDataType.Float16, "k").Output("n_out", OnnxDataType.Int64, "m")
        .Output("b_out", OnnxDataType.Bool, "q").Output("s_out", OnnxDataType.String, "r")
        .Build();

    private static readonly TestTensor[] Inputs =
    [
        TestTensor.Of("x", "FP32", [2, 4], 1.5f, -2f, 3.25f, 0f, -0.5f, 1e-3f, 65504.5f, -7f),
        TestTensor.Of("h", "FP16", [3], 0.5f, -65504f, 6.1e-5f),
        TestTensor.Of("n", "INT64", [2], long.MinValue, long.MaxValue),
        TestTensor.Of("b", "BOOL", [3], true, false, false),
        TestTensor.Of("s", "BYTES", [2], "plain", "\u00fcnic\u00f6de \u2713"),
    ];

    [Fact]
    public async Task A_python_client_compiled_from_the_proto_agrees_over_json_binary_and_grpc()
    {
        await EnsurePythonGrpcAsync();
        string dir = Path.Combine(Path.GetTempPath(), "containersdk-pyclient-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        byte[] model = Model();
        string modelPath = TestModels.Write("py", model);
        try
        {
            string clients = Path.Combine(AppContext.BaseDirectory, "clients");
            var (code, output) = await RunAsync(Python, ["-m", "grpc_tools.protoc", $"-I{clients}", $"--python_out={dir}", $"--grpc_python_out={dir}",
                Path.Combine(clients, "grpc_predict_v2.proto")]);
            code.ShouldBe(0, output);

            int grpcPort = ServiceProcess.FreePort();
            await using ServiceProcess service = await ServiceProcess.StartAsync(modelPath, "py", $"--Grpc:Port={grpcPort}");
            string inputs = new JsonArray(Inputs.Select(i => (JsonNode)i.ToJson()).ToArray()).ToJsonString();
            (code, output) = await RunAsync(Python, [Path.Combine(clients, "kserve_client.py"), dir, "127.0.0.1",
                service.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "py", inputs]);
            code.ShouldBe(0, $"{output}\n{service}");
            JsonElement result = JsonDocument.Parse(output.Split('\n').Single(line => line.StartsWith("{\"json\"", StringComparison.Ordinal))).RootElement;

            var expected = OrtReference.Run(model, Inputs).ToDictionary(t => t.Name);
            foreach (string protocol in new[] { "json", "binary", "grpc" })
            {
                JsonElement outputs = result.GetProperty(protocol);
                outputs.EnumerateObject().Count().ShouldBe(expected.Count, protocol);
                foreach (JsonProperty o in outputs.EnumerateObject())
                {
                    CanonicalTensor actual = Wire.FromBytes(o.Name, o.Value.GetProperty("datatype").GetString()!,
                        o.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(), Convert.FromHexString(o.Value.GetProperty("hex").GetString()!));
                    actual.ShouldMatch(expected[o.Name]);
                }

                // Byte for byte the same across protocols, too.
                outputs.GetRawText().ShouldBe(result.GetProperty("grpc").GetRawText(), protocol);
            }

            result.GetProperty("grpc_live").GetBoolean().ShouldBeTrue();
            result.GetProperty("grpc_ready").GetBoolean().ShouldBeTrue();
            result.GetProperty("grpc_extensions").EnumerateArray().Select(e => e.GetString()).ShouldContain("binary_tensor_data");
            result.GetProperty("grpc_inputs").EnumerateArray().Select(e => e.GetString()).ShouldBe(["x", "h", "n", "b", "s"]);
            foreach (JsonProperty hostile in result.GetProperty("hostile_http").EnumerateObject())
            {
                hostile.Value[0].GetInt32().ShouldBe(400, hostile.Name);
                hostile.Value[1].GetString().ShouldNotBeNullOrWhiteSpace(hostile.Name);
            }

            result.GetProperty("hostile_grpc").GetProperty("raw one byte short")[0].GetString().ShouldBe("INVALID_ARGUMENT");
            result.GetProperty("hostile_grpc").GetProperty("raw one byte short")[1].GetString()!.ShouldContain("'x'");
            result.GetProperty("hostile_grpc").GetProperty("unknown model")[0].GetString().ShouldBe("NOT_FOUND");
            result.GetProperty("after_hostile").GetInt32().ShouldBe(200);
            result.GetProperty("grpc_after_hostile").GetInt32().ShouldBe(5);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(Path.GetDirectoryName(modelPath)!, recursive: true);
        }
    }

    /// <summary>Debian's python3-grpcio and python3-grpc-tools (tests/lab/lab.sh setup installs them; this installs
    /// them when the test runs first). Missing after that is a failure, never a skip.</summary>
    private static async Task EnsurePythonGrpcAsync()
    {
        File.Exists(Python).ShouldBeTrue($"{Python} is needed (Debian's python3)");
        if ((await RunAsync(Python, ["-c", "import grpc, grpc_tools.protoc"])).Code == 0)
        {
            return;
        }

        var (code, output) = await RunAsync("apt-get", ["install", "-y", "-q", "python3-grpcio", "python3-grpc-tools"], TimeSpan.FromMinutes(5));
        code.ShouldBe(0, $"apt-get install python3-grpcio python3-grpc-tools failed:\n{output}");
        (await RunAsync(Python, ["-c", "import grpc, grpc_tools.protoc"])).Code.ShouldBe(0);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        // The client talks to loopback only: gRPC's and http.client's proxy settings from the environment must not apply.
        foreach (string proxy in new[] { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "grpc_proxy" })
        {
            if (file == Python)
            {
                start.Environment.Remove(proxy);
            }
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
