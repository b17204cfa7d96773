using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ContainerSdk.Parsing;

namespace ContainerSdk.Package.Tests;

[Collection(PackageCollection.Name)]
public sealed class ModelAndHealthTests(PackageFixture package)
{

    [Fact]
    public void Models_get_their_own_read_only_layer_before_the_app_and_leave_the_app_layer()
    {
        var project = TestProject.Create(package, package.NewWorkspace("models", withGit: true), "app", ReferenceMode.PackageReference,
            items: """
                <Content Include="models/model.onnx" CopyToPublishDirectory="PreserveNewest" />
                <ContainerModel Include="models/model.onnx" />
                <ContainerModel Include="models/vocab.txt" ContainerPath="/opt/vocab/vocab.txt" />
                """);
        Directory.CreateDirectory(Path.Combine(project.Directory, "models"));
        File.WriteAllBytes(Path.Combine(project.Directory, "models", "model.onnx"), TinyModel());
        File.WriteAllText(Path.Combine(project.Directory, "models", "vocab.txt"), "a\nb\n");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();

        var parsed = DockerfileParser.Parse(project.ReadDockerfile()).ToList();
        int final = parsed.FindLastIndex(i => i.Keyword == "FROM");
        var modelCopies = parsed.Skip(final).Where(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--chmod=0444", StringComparison.Ordinal)).ToList();
        modelCopies.Select(i => DockerfileParser.ParseJsonArray(DockerfileParser.SplitFlags(i.Arguments).Remainder)).ShouldBe(
        [
            ["app/models/model.onnx", "/app/models/model.onnx"],
            ["app/models/vocab.txt", "/opt/vocab/vocab.txt"],
        ]);
        int appCopy = parsed.FindIndex(final, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=build", StringComparison.Ordinal));
        parsed.IndexOf(modelCopies[1]).ShouldBeLessThan(appCopy, "models come before the app layer");
        parsed.Single(i => i.Arguments.Contains("dotnet publish")).Arguments.ShouldContain("-p:ContainerSdkExcludeModels=true");

        // What the image's publish does with that property: the model stays out of the app layer.
        var outDir = Path.Combine(project.Directory, "out");
        project.Publish("-o", outDir, "-p:ContainerSdkExcludeModels=true").ShouldSucceed();
        File.Exists(Path.Combine(outDir, "models", "model.onnx")).ShouldBeFalse();
        File.Exists(Path.Combine(outDir, "app.dll")).ShouldBeTrue();
        var normal = Path.Combine(project.Directory, "out-normal");
        project.Publish("-o", normal).ShouldSucceed();
        File.Exists(Path.Combine(normal, "models", "model.onnx")).ShouldBeTrue("a normal publish still ships the model");
    }

    /// <summary>A valid ONNX model (y = Relu(x)): ContainerModel .onnx files are read at build time.</summary>
    internal static byte[] TinyModel() => new OnnxModels.OnnxModelBuilder("tiny")
        .Input("x", OnnxModels.OnnxDataType.Float, 1).Node("Relu", ["x"], ["y"]).Output("y", OnnxModels.OnnxDataType.Float, 1).Build();

    [Fact]
    public void Health_check_uses_the_app_itself_as_the_probe()
    {
        var project = TestProject.Create(package, package.NewWorkspace("health"), "app", ReferenceMode.Sdk,
            properties: "<ContainerHealthCheckPath>/ready</ContainerHealthCheckPath><TreatWarningsAsErrors>true</TreatWarningsAsErrors>");
        var outDir = Path.Combine(project.Directory, "out");
        project.Publish("-o", outDir).ShouldSucceed();
        var health = DockerfileParser.Parse(project.ReadDockerfile()).Single(i => i.Keyword == "HEALTHCHECK").Arguments;
        health.ShouldBe("--interval=30s --timeout=5s --start-period=30s --retries=3 CMD [\"dotnet\", \"/app/app.dll\", \"--containersdk-probe\", \"http://127.0.0.1:8080/ready\"]");

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var server = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(cts.Token);
                using var stream = client.GetStream();
                var buffer = new byte[4096];
                int read = await stream.ReadAsync(buffer, cts.Token);
                var request = Encoding.ASCII.GetString(buffer, 0, read);
                var status = request.StartsWith("GET /ready ", StringComparison.Ordinal) ? "200 OK" : "503 Service Unavailable";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), cts.Token);
            }
        });

        (int Code, string Output) Probe(string url)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(outDir, "app.dll"));
            start.ArgumentList.Add("--containersdk-probe");
            start.ArgumentList.Add(url);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit(30_000).ShouldBeTrue("the probe returns on its own");
            return (process.ExitCode, output.Result + error.Result);
        }

        var ready = Probe($"http://127.0.0.1:{port}/ready");
        ready.Code.ShouldBe(0, ready.Output);
        ready.Output.ShouldNotContain("Now listening", Case.Sensitive, "the probe must not start the web host");
        Probe($"http://127.0.0.1:{port}/down").Code.ShouldBe(1);
        Probe("http://127.0.0.1:1/ready").Code.ShouldBe(1);
        cts.Cancel();
        listener.Stop();
    }

    [Fact]
    public void Health_check_without_a_tcp_port_is_an_error()
    {
        var project = TestProject.Create(package, package.NewWorkspace("health-console"), "tool", web: false,
            properties: "<ContainerHealthCheckPath>/ready</ContainerHealthCheckPath>");
        var result = project.Build("-t:GenerateDockerfile");
        result.ExitCode.ShouldNotBe(0);
        result.ErrorCodes.ShouldBe(["CSDK1019"]);
    }
}
