using System.Net;
using ContainerSdk.Samples.Tests.Infrastructure;
using Grpc.Core;
using Inference;
using OnnxModels;

namespace ContainerSdk.Samples.Tests;

/// <summary>Where gRPC listens: Grpc:Port from the environment as in a container, beside ASP.NET Core's own address
/// settings, and off with 0.</summary>
public sealed class GrpcConfigurationTests : IDisposable
{
    private readonly string _reluPath = TestModels.Write("relu", ReluModel.Build());

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_reluPath)!, recursive: true);

    [Fact]
    public async Task As_in_the_generated_image_ASPNETCORE_HTTP_PORTS_names_both_ports_and_Grpc__Port_takes_its_own()
    {
        int http = ServiceProcess.FreePort(), grpc = ServiceProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Model__Path"] = _reluPath,
            // The Dockerfile's ENV lists every exposed port; the gRPC one must not become a second HTTP/1.1 endpoint.
            ["ASPNETCORE_HTTP_PORTS"] = $"{http};{grpc}",
            ["Grpc__Port"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using ServiceProcess service = await ServiceProcess.StartAsync([], environment);
        service.BaseAddress.Port.ShouldBe(http);
        (await service.Http.InferAsync("relu", TestTensor.Of("X", "FP32", [1, 4], 1f, 2f, 3f, 4f))).Status.ShouldBe(HttpStatusCode.OK);

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{grpc}");
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        (await client.ServerLiveAsync(new ServerLiveRequest())).Live.ShouldBeTrue();
        service.Log.ShouldContain($"gRPC inference.GRPCInferenceService on port {grpc}");
    }

    [Fact]
    public async Task Grpc_port_0_turns_grpc_off()
    {
        await using ServiceProcess service = await ServiceProcess.StartAsync(_reluPath, "relu", "--Grpc:Port=0");
        service.Log.ShouldContain("gRPC off (Grpc:Port=0)");
        service.Log.Split('\n').Count(l => l.Contains("Now listening on", StringComparison.Ordinal)).ShouldBe(1);
        (await service.Http.GetJsonAsync("/v2")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_invalid_grpc_port_fails_the_start()
    {
        var (code, output, _) = await ServiceProcess.RunToExitAsync(["--urls", "http://127.0.0.1:0", $"--Model:Path={_reluPath}", "--Grpc:Port=70000"]);
        code.ShouldBe(1, output);
        output.ShouldContain("Grpc:Port");
    }
}
