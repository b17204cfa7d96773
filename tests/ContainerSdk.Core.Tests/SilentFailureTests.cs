using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;
using ContainerSdk.Model;
using ContainerSdk.Parsing;
using ContainerSdk.Text;

namespace ContainerSdk.Core.Tests;

/// <summary>Shapes that used to pass generation and fail later (issue 14): each is refused or handled at generation.</summary>
public sealed class SilentFailureTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("containersdk-silent").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static IReadOnlyList<ParsedInstruction> Parse(GenerationResult result)
    {
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        return DockerfileParser.Parse(result.Dockerfile!);
    }

    private static string Single(GenerationResult result, string keyword) => Parse(result).Single(i => i.Keyword == keyword).Arguments;

    // Defect 5: Alpine with ONNX Runtime.
    private static readonly PackageInput Ort = new("Microsoft.ML.OnnxRuntime", "1.22.0");

    private static readonly Dictionary<string, IReadOnlyCollection<string>> OrtRids = new()
    {
        ["Microsoft.ML.OnnxRuntime"] = ["linux-arm64", "linux-x64", "osx-arm64", "win-x64"],
    };

    [Theory]
    [InlineData("alpine", null)]
    [InlineData(null, "mcr.microsoft.com/dotnet/aspnet:10.0-alpine")]
    [InlineData(null, "docker.io/library/alpine:3.22")]
    [InlineData(null, "registry.example.com/base/dotnet:10.0-alpine3.22@sha256:0123456789012345678901234567890123456789012345678901234567890123")]
    public void Onnx_runtime_on_a_musl_base_is_CSDK4003(string? family, string? baseImage)
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with { Family = family, BaseImage = baseImage, ResolvedPackages = [Ort], NativeRuntimeIdentifiers = OrtRids });
        result.Succeeded.ShouldBeFalse();
        result.Dockerfile.ShouldBeNull();
        var error = result.Diagnostics.Single(d => d.Code == "CSDK4003");
        error.IsError.ShouldBeTrue();
        error.Message.ShouldContain("'linux-musl-x64' (it has: linux-arm64, linux-x64, osx-arm64, win-x64)");
    }

    [Fact]
    public void Musl_is_fine_without_onnx_runtime_and_glibc_is_fine_with_it()
    {
        DockerfileGenerator.Generate(TestInputs.Web() with { Family = "alpine" }).Succeeded.ShouldBeTrue();
        DockerfileGenerator.Generate(TestInputs.Web() with { ResolvedPackages = [Ort], NativeRuntimeIdentifiers = OrtRids }).Succeeded.ShouldBeTrue();
        DockerfileGenerator.Generate(TestInputs.Web() with { Family = "noble-chiseled", ResolvedPackages = [Ort] }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Musl_with_an_onnx_runtime_package_not_on_disk_is_still_refused()
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with { Family = "alpine", ResolvedPackages = [Ort] });
        result.Diagnostics.Single(d => d.Code == "CSDK4003").Message.ShouldContain("not in the NuGet package folders");
    }

    [Fact]
    public void A_package_that_ships_a_musl_build_passes()
    {
        var rids = new Dictionary<string, IReadOnlyCollection<string>> { ["Microsoft.ML.OnnxRuntime"] = ["linux-musl-x64", "linux-x64"] };
        DockerfileGenerator.Generate(TestInputs.Web() with { Family = "alpine", ResolvedPackages = [Ort], NativeRuntimeIdentifiers = rids }).Succeeded.ShouldBeTrue();
    }

    // Defect 6: the port the app really listens on.
    [Theory]
    [InlineData("ASPNETCORE_HTTP_PORTS", "5000", "5000/tcp", 5000)]
    [InlineData("ASPNETCORE_URLS", "http://+:5000", "5000/tcp", 5000)]
    [InlineData("ASPNETCORE_URLS", "http://*:5000;https://*:5001", "5000/tcp 5001/tcp", 5000)]
    [InlineData("ASPNETCORE_URLS", "https://[::]:5001;http://0.0.0.0:7000/base", "5001/tcp 7000/tcp", 7000)]
    [InlineData("DOTNET_URLS", "http://localhost", "80/tcp", 80)]
    [InlineData("ASPNETCORE_HTTP_PORTS", "5000;5002", "5000/tcp 5002/tcp", 5000)]
    public void Expose_and_the_probe_follow_the_apps_listening_port(string variable, string value, string expose, int probe)
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with
        {
            HealthCheckPath = "/healthz",
            EnvironmentVariables = [new NameValue(variable, value)],
        });
        var parsed = Parse(result);
        string.Join(" ", parsed.Where(i => i.Keyword == "EXPOSE").Select(i => i.Arguments)).ShouldBe(expose);
        parsed.Single(i => i.Keyword == "HEALTHCHECK").Arguments.ShouldContain($"http://127.0.0.1:{probe}/healthz");
        var env = parsed.Where(i => i.Keyword == "ENV").SelectMany(i => DockerfileParser.ParseKeyValues(i.Arguments)!).ToList();
        env.Where(e => e.Key == "ASPNETCORE_HTTP_PORTS" && variable != "ASPNETCORE_HTTP_PORTS").ShouldBeEmpty("no default port beside the app's own");
    }

    [Fact]
    public void Https_ports_alone_get_no_default_http_port_on_the_same_port()
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with { EnvironmentVariables = [new NameValue("ASPNETCORE_HTTPS_PORTS", "8443")] });
        var parsed = Parse(result);
        parsed.Single(i => i.Keyword == "EXPOSE").Arguments.ShouldBe("8443/tcp");
        parsed.Where(i => i.Keyword == "ENV").SelectMany(i => DockerfileParser.ParseKeyValues(i.Arguments)!).ShouldNotContain(e => e.Key == "ASPNETCORE_HTTP_PORTS");
    }

    [Fact]
    public void A_container_port_the_app_does_not_listen_on_is_CSDK1020()
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with
        {
            Ports = [new PortInput("8080", null)],
            EnvironmentVariables = [new NameValue("ASPNETCORE_HTTP_PORTS", "5000")],
        });
        result.Dockerfile.ShouldBeNull();
        var error = result.Diagnostics.Single(d => d.Code == "CSDK1020");
        error.IsError.ShouldBeTrue();
        error.Message.ShouldStartWith("The app listens on 5000 (ASPNETCORE_HTTP_PORTS), but ContainerPort is 8080");
    }

    [Fact]
    public void A_health_probe_of_an_https_only_app_is_CSDK1020()
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with
        {
            HealthCheckPath = "/healthz",
            EnvironmentVariables = [new NameValue("ASPNETCORE_URLS", "https://+:8443")],
        });
        result.Diagnostics.Single(d => d.Code == "CSDK1020").Message.ShouldContain("plain http");
    }

    [Theory]
    [InlineData("http://+:$PORT")]
    [InlineData("unix:/tmp/kestrel.sock")]
    public void Values_that_only_the_running_app_can_read_are_left_alone(string urls)
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with { EnvironmentVariables = [new NameValue("ASPNETCORE_URLS", urls)] });
        Single(result, "EXPOSE").ShouldBe("8080/tcp");
    }

    [Fact]
    public void Matching_ports_are_accepted_and_the_default_is_unchanged()
    {
        Single(DockerfileGenerator.Generate(TestInputs.Web() with
        {
            Ports = [new PortInput("5000", null)],
            HealthCheckPath = "/h",
            EnvironmentVariables = [new NameValue("ASPNETCORE_HTTP_PORTS", "5000")],
        }), "HEALTHCHECK").ShouldContain("127.0.0.1:5000/h");
        Single(DockerfileGenerator.Generate(TestInputs.Web() with { HealthCheckPath = "/h" }), "HEALTHCHECK").ShouldContain("127.0.0.1:8080/h");
    }

    // Defect 7: prose metadata.
    [Fact]
    public void Multi_line_description_authors_and_title_are_one_line_labels()
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with
        {
            Description = "First line.\nSecond line.\r\n\tIndented  third.",
            Authors = "Ann,\nBob",
            Title = " My\u2028App ",
        });
        var labels = Parse(result).Where(i => i.Keyword == "LABEL").SelectMany(i => DockerfileParser.ParseKeyValues(i.Arguments)!).ToDictionary(k => k.Key, k => k.Value);
        labels["org.opencontainers.image.description"].ShouldBe("First line. Second line. Indented third.");
        labels["org.opencontainers.image.authors"].ShouldBe("Ann, Bob");
        labels["org.opencontainers.image.title"].ShouldBe("My App");
        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_long_description_is_capped_with_CSDK2015()
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with { Description = string.Concat(Enumerable.Repeat("word ", 400)) });
        var label = Parse(result).Where(i => i.Keyword == "LABEL").SelectMany(i => DockerfileParser.ParseKeyValues(i.Arguments)!).Single(k => k.Key == "org.opencontainers.image.description").Value;
        label.Length.ShouldBe(LabelText.MaxLength);
        label.ShouldEndWith("…");
        var warning = result.Diagnostics.Single(d => d.Code == "CSDK2015");
        warning.IsError.ShouldBeFalse();
        warning.Message.ShouldContain("Description is 1999 characters long");
    }

    [Fact]
    public void Container_values_keep_the_hard_error()
    {
        var result = DockerfileGenerator.Generate(TestInputs.Web() with { Labels = [new NameValue("com.example.x", "a\nb")] });
        result.Diagnostics.Single().Code.ShouldBe("CSDK1008");
        DockerfileGenerator.Generate(TestInputs.Web() with { Version = "1.0\nLABEL x=y" }).Diagnostics.Single().Code.ShouldBe("CSDK1008");
    }

    // Defect 9: copy-paste commands in the header.
    [Theory]
    [InlineData("src/My App", "'src/My App/My App.csproj'", "'src/My App/Dockerfile'")]
    [InlineData("src/C#", "'src/C#/C#.csproj'", "'src/C#/Dockerfile'")]
    [InlineData("src/it's", "'src/it'\\''s/it'\\''s.csproj'", "'src/it'\\''s/Dockerfile'")]
    [InlineData("src/Café", "'src/Café/Café.csproj'", "'src/Café/Dockerfile'")]
    [InlineData("src/App", "src/App/App.csproj", "src/App/Dockerfile")]
    public void Header_commands_quote_paths_for_the_shell(string folder, string project, string dockerfile)
    {
        var name = folder.Substring(folder.LastIndexOf('/') + 1);
        var result = DockerfileGenerator.Generate(TestInputs.Web() with
        {
            ProjectPath = TestInputs.P(folder + "/" + name + ".csproj"),
            DockerfilePath = TestInputs.P(folder + "/Dockerfile"),
            RestoreInputs = [],
        });
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        var text = result.Dockerfile.ShouldNotBeNull();
        text.ShouldContain($"#   dotnet build {project} -t:GenerateDockerfile -p:ContainerDockerfileOverwrite=true\n");
        text.ShouldContain($"docker buildx build -f {dockerfile} .");
        result.IgnoreFile.ShouldNotBeNull().ShouldContain($"#   dotnet build {project} -t:");
    }

    [Theory]
    [InlineData("plain/path-1.0_x", "plain/path-1.0_x")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("#x", "'#x'")]
    [InlineData("*?[]{}~&|;<>()!", "'*?[]{}~&|;<>()!'")]
    public void Shell_words_are_quoted_only_when_needed(string word, string quoted) => ShellWord.Quote(word).ShouldBe(quoted);

    [Fact]
    public void Quoted_words_read_back_through_sh()
    {
        var words = new[] { "src/My App/My App.csproj", "C#/it's/Café 日本", "a'b\"c$d`e\\f" };
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("printf '%s\\n' " + string.Join(" ", words.Select(ShellWord.Quote)));
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.ShouldBe(string.Join("", words.Select(w => w + "\n")));
    }

    // Defect 8: two projects in one folder.
    private (WriteOutcome Outcome, List<ContainerDiagnostic> Diagnostics) Write(string project, bool overwrite = false)
    {
        var header = new[] { $"# Generated by ContainerSdk 1.0.0 from {project}; rewritten on publish while unedited." };
        var diagnostics = new List<ContainerDiagnostic>();
        var path = Path.Combine(dir, "Dockerfile");
        var files = new List<PlannedFile>
        {
            new(path, GeneratedText.Seal(header, "FROM " + project.ToLowerInvariant().Replace(".csproj", "") + "\n"), Owner: project, ContextDirectory: dir),
            new(path + ".dockerignore", GeneratedText.Seal(header, "**/bin\n"), IsIgnoreFile: true, Owner: project, ContextDirectory: dir),
        };
        return (GeneratedFileWriter.Write(files, overwrite, diagnostics)[0].Outcome, diagnostics);
    }

    [Theory]
    [InlineData("FROM x\n")]
    [InlineData("# a\n\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\n")]
    [InlineData("# Generated by ContainerSdk ; rewritten on publish while unedited.\n")]
    [InlineData("# Generated by ContainerSdk 1 from ; rewritten on publish while unedited.\n")]
    public void A_hand_written_file_has_no_owner_and_never_crashes_the_check(string text) =>
        GeneratedText.ReadOwner(text).ShouldBeNull();

    [Fact]
    public void Another_projects_generated_file_is_never_replaced()
    {
        File.WriteAllText(Path.Combine(dir, "A.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "B.csproj"), "<Project />");
        Write("A.csproj").Outcome.ShouldBe(WriteOutcome.Written);
        var a = File.ReadAllText(Path.Combine(dir, "Dockerfile"));
        GeneratedText.ReadOwner(a).ShouldBe("A.csproj");

        foreach (var overwrite in new[] { false, true })
        {
            var (outcome, diagnostics) = Write("B.csproj", overwrite);
            outcome.ShouldBe(WriteOutcome.KeptUserFile);
            diagnostics.Single().Code.ShouldBe("CSDK2014");
            diagnostics.Single().Message.ShouldContain("(A.csproj)");
            diagnostics.Single().Message.ShouldContain("ContainerDockerfile");
            File.ReadAllText(Path.Combine(dir, "Dockerfile")).ShouldBe(a);
        }

        Write("A.csproj").Diagnostics.ShouldBeEmpty("A keeps regenerating its own file");
    }

    [Fact]
    public void A_file_whose_project_is_gone_is_replaced()
    {
        Write("Old.csproj").Outcome.ShouldBe(WriteOutcome.Written);
        File.WriteAllText(Path.Combine(dir, "New.csproj"), "<Project />");
        var (outcome, diagnostics) = Write("New.csproj");
        outcome.ShouldBe(WriteOutcome.Written);
        diagnostics.ShouldBeEmpty();
        GeneratedText.ReadOwner(File.ReadAllText(Path.Combine(dir, "Dockerfile"))).ShouldBe("New.csproj");
    }

    [Theory]
    [InlineData("src/My App/My App.csproj")]
    [InlineData("a; b/from x; y.csproj")]
    public void The_owner_is_read_back_from_the_header(string project) =>
        GeneratedText.ReadOwner(GeneratedText.Seal([$"# syntax=docker/dockerfile:1", $"# Generated by ContainerSdk 1.2.3-it.5 from {project}; rewritten on publish while unedited."], "FROM x\n"))
            .ShouldBe(project);

    // Defect 10: an edited ignore file that drops a secret exclusion.
    [Fact]
    public void An_edited_ignore_file_missing_secret_exclusions_is_CSDK2004_too()
    {
        var path = Path.Combine(dir, "Dockerfile.dockerignore");
        var generated = IgnoreFile.Render(DockerfileGenerator.Generate(TestInputs.Web()).Spec!);
        File.WriteAllText(path, string.Join("\n", generated.Split('\n').Where(l => l != "**/.env*")));
        var diagnostics = new List<ContainerDiagnostic>();
        GeneratedFileWriter.Write([new PlannedFile(path, generated, IsIgnoreFile: true)], false, diagnostics).Single().Outcome.ShouldBe(WriteOutcome.KeptUserFile);
        diagnostics.Select(d => d.Code).ShouldBe(["CSDK2001", "CSDK2004"]);
        diagnostics[1].Message.ShouldContain(".env");
        diagnostics[1].Message.ShouldContain("edited by hand");
    }

    [Fact]
    public void An_edited_ignore_file_that_keeps_every_exclusion_is_CSDK2001_only()
    {
        var path = Path.Combine(dir, "Dockerfile.dockerignore");
        var generated = IgnoreFile.Render(DockerfileGenerator.Generate(TestInputs.Web()).Spec!);
        File.WriteAllText(path, generated + "extra/\n");
        var diagnostics = new List<ContainerDiagnostic>();
        GeneratedFileWriter.Write([new PlannedFile(path, generated, IsIgnoreFile: true)], false, diagnostics);
        diagnostics.Select(d => d.Code).ShouldBe(["CSDK2001"]);
    }
}
