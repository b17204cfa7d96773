using System.Text.Json;
using ContainerSdk.Tasks;
using ContainerSdk.Images.Engines;
using Microsoft.Build.Utilities;

using ContainerSdk.Secrets;

using ContainerSdk.Testing;

namespace ContainerSdk.Tasks.Tests;

/// <summary>
/// The BuildContainerImage task against fake engines: small shell scripts named docker/podman/buildah that record
/// their arguments and play a daemon-less docker, a failing build, a push. Real engines are exercised by
/// tests/image/engine-tests.sh; these pin the decisions (which engine, which flags, which error) exactly.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildContainerImageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("containersdk-engine-").FullName;

    public BuildContainerImageTests()
    {
        Bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        Context = Directory.CreateDirectory(Path.Combine(_root, "ctx")).FullName;
        Dockerfile = Path.Combine(Context, "Dockerfile");
        File.WriteAllText(Dockerfile, "FROM scratch\n");
        CallLog = Path.Combine(_root, "calls.log");
    }

    private string Bin { get; }

    private string Context { get; }

    private string Dockerfile { get; }

    private string CallLog { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A fake engine: logs "name arg1 arg2 …" (one argument per line after a header) and runs <paramref name="body"/>.</summary>
    private void FakeEngine(string name, string body)
    {
        string path = Path.Combine(Bin, name);
        File.WriteAllText(path, $$"""
            #!/bin/sh
            { echo "== {{name}}"; for a in "$@"; do echo "$a"; done; } >> "{{CallLog}}"
            {{body}}
            """.Replace("\r", ""));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>podman that answers version, writes the --iidfile on build and the --digestfile on push.</summary>
    private const string WorkingPodman = """
        case "$1" in
          version) echo "4.3.1" ;;
          build)
            while [ $# -gt 0 ]; do [ "$1" = "--iidfile" ] && printf 'sha256:%064d' 7 > "$2"; shift; done
            echo "STEP 1/1: FROM scratch"; echo "COMMIT" ;;
          push)
            while [ $# -gt 0 ]; do [ "$1" = "--digestfile" ] && printf 'sha256:%064d' 9 > "$2"; shift; done ;;
          *) echo "unexpected $1" >&2; exit 3 ;;
        esac
        """;

    private (BuildContainerImage Task, TestBuildEngine Engine) Create(Action<BuildContainerImage>? configure = null)
    {
        var engine = new TestBuildEngine();
        var task = new BuildContainerImage
        {
            BuildEngine = engine,
            Dockerfile = Dockerfile,
            Context = Context,
            Repository = "inference",
            EngineSearchPath = Bin,
            IntermediateDirectory = Path.Combine(_root, "obj"),
            InfoFile = Path.Combine(_root, "obj", "containersdk-image.json"),
            ProjectDirectory = Context,
            Verify = "false",
            SourceRevision = new string('a', 40),
            SourceDateEpoch = "1700000000",
        };
        configure?.Invoke(task);
        return (task, engine);
    }

    /// <summary>The calls each fake engine received, as argument lists.</summary>
    private List<(string Engine, List<string> Args)> Calls()
    {
        var calls = new List<(string, List<string>)>();
        foreach (string line in File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [])
        {
            if (line.StartsWith("== ", StringComparison.Ordinal))
            {
                calls.Add((line[3..], []));
            }
            else
            {
                calls[^1].Item2.Add(line);
            }
        }

        return calls;
    }

    [Fact]
    public void Auto_skips_a_docker_cli_without_daemon_and_builds_with_podman_passing_tags_build_args_and_labels()
    {
        FakeEngine("docker", "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1");
        FakeEngine("podman", WorkingPodman);
        var (task, engine) = Create(t =>
        {
            t.Registry = "127.0.0.1:5000";
            t.Tags = ["1.2.3", "latest"];
            t.ExtraArguments = ["-v", "/etc/ssl/certs:/etc/ssl/certs:ro"];
        });

        task.Execute().ShouldBeTrue(engine.Log);

        task.EngineName.ShouldBe("podman");
        task.ImageId.ShouldBe("sha256:" + new string('0', 63) + "7");
        task.ImageReferences.ShouldBe(["127.0.0.1:5000/inference:1.2.3", "127.0.0.1:5000/inference:latest"]);
        var build = Calls().Single(c => c.Engine == "podman" && c.Args[0] == "build").Args;
        build.ShouldBe(
        [
            "build", "--format", "docker", "--layers", "--file", Dockerfile, "--iidfile", Path.Combine(_root, "obj", "containersdk-image.iid"),
            "--tag", "127.0.0.1:5000/inference:1.2.3", "--tag", "127.0.0.1:5000/inference:latest",
            "--build-arg", "SOURCE_DATE_EPOCH=1700000000", "--build-arg", "IMAGE_CREATED=2023-11-14T22:13:20Z",
            "--build-arg", "SOURCE_REVISION=" + new string('a', 40),
            "--label", "org.opencontainers.image.created=2023-11-14T22:13:20Z", "--label", "org.opencontainers.image.revision=" + new string('a', 40),
            "-v", "/etc/ssl/certs:/etc/ssl/certs:ro", Context,
        ]);
        Calls().ShouldContain(c => c.Engine == "docker" && c.Args.SequenceEqual(new[] { "version", "--format", "{{.Server.Version}}" }));
        engine.Messages.ShouldContain(m => m.Contains("STEP 1/1: FROM scratch"), "the engine's output streams into the log");

        using var info = JsonDocument.Parse(File.ReadAllText(task.InfoFile));
        info.RootElement.GetProperty("engine").GetString().ShouldBe("podman");
        info.RootElement.GetProperty("engineVersion").GetString().ShouldBe("4.3.1");
        info.RootElement.GetProperty("imageId").GetString().ShouldBe(task.ImageId);
        info.RootElement.GetProperty("pushed").GetBoolean().ShouldBeFalse();
        info.RootElement.GetProperty("references").EnumerateArray().Select(r => r.GetString()).ShouldBe(task.ImageReferences);
        info.RootElement.GetProperty("buildArgs").GetProperty("SOURCE_REVISION").GetString().ShouldBe(new string('a', 40));
    }

    [Fact]
    public void No_engine_at_all_is_CSDK5001_naming_each_engine_tried()
    {
        var (task, engine) = Create();

        task.Execute().ShouldBeFalse();

        var error = engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("CSDK5001");
        error.Message!.ShouldContain("docker: not found on PATH");
        error.Message!.ShouldContain("podman: not found on PATH");
        error.Message!.ShouldContain("buildah: not found on PATH");
        error.HelpLink.ShouldEndWith("/docs/diagnostics/CSDK5001.md");
        File.Exists(task.InfoFile).ShouldBeFalse();
    }

    [Fact]
    public void A_named_engine_that_does_not_work_is_CSDK5001_with_its_own_words_and_no_fallback()
    {
        FakeEngine("docker", "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2; exit 1");
        FakeEngine("podman", WorkingPodman);
        var (task, engine) = Create(t => t.Engine = "docker");

        task.Execute().ShouldBeFalse();

        var error = engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("CSDK5001");
        error.Message!.ShouldContain("ContainerEngine=docker");
        error.Message!.ShouldContain("Cannot connect to the Docker daemon");
        Calls().ShouldNotContain(c => c.Engine == "podman");
    }

    [Fact]
    public void A_failed_build_is_CSDK5003_with_engine_exit_code_and_the_compiler_error_once()
    {
        FakeEngine("buildah", """
            [ "$1" = version ] && { echo "Version: 1.28.2"; exit 0; }
            i=0; while [ $i -lt 60 ]; do echo "  Restored /src/x$i.csproj (in 12 ms)."; i=$((i+1)); done
            echo "/src/Program.cs(3,20): error CS1002: ; expected [/src/App.csproj]"
            echo "Build FAILED."
            echo "/src/Program.cs(3,20): error CS1002: ; expected [/src/App.csproj]"
            echo "Error: building at STEP \"RUN dotnet publish\": while running runtime: exit status 1"
            exit 1
            """);
        var (task, engine) = Create(t => t.Engine = "buildah");

        task.Execute().ShouldBeFalse();

        var error = engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("CSDK5003");
        error.Message!.ShouldContain("buildah exited with code 1");
        error.Message!.Split("error CS1002").Length.ShouldBe(2, "the compiler error once, not twice: " + error.Message);
        error.Message!.ShouldContain("exit status 1");
        error.Message.ShouldNotContain("Restored /src/x");
    }

    [Fact]
    public void Environment_secrets_reach_podman_as_a_private_file_that_is_deleted_and_never_as_a_build_argument()
    {
        string secretValue = "s3cr3t-" + Guid.NewGuid().ToString("N");
        string variable = "CONTAINERSDK_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, secretValue);
        try
        {
            string copy = Path.Combine(_root, "secret-as-seen");
            FakeEngine("podman", WorkingPodman.Replace("build)", $$"""
                build)
                    for a in "$@"; do case "$a" in id=feed,src=*) f="${a#id=feed,src=}"; cat "$f" > "{{copy}}"; stat -c %a "$f" >> "{{copy}}.mode" ;; esac; done
                """));
            string file = Path.Combine(_root, "nuget.config");
            File.WriteAllText(file, "<configuration />");
            var (task, engine) = Create(t => t.Secrets =
            [
                new TaskItem("nuget_config", new Dictionary<string, string> { ["File"] = file }),
                new TaskItem("feed", new Dictionary<string, string> { ["Environment"] = variable }),
            ]);

            task.Execute().ShouldBeTrue(engine.Log);

            var build = Calls().Single(c => c.Args[0] == "build").Args;
            build.ShouldContain("id=nuget_config,src=" + file);
            File.ReadAllText(copy).ShouldBe(secretValue);
            File.ReadAllText(copy + ".mode").Trim().ShouldBe("600");
            string tempFile = build.Single(a => a.StartsWith("id=feed,src=", StringComparison.Ordinal))["id=feed,src=".Length..];
            File.Exists(tempFile).ShouldBeFalse("the temporary secret file is deleted after the build");
            string.Join("\n", build).ShouldNotContain(secretValue);
            engine.Log.ShouldNotContain(secretValue);
            File.ReadAllText(task.InfoFile).ShouldNotContain(secretValue);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("feed", "", "", "give exactly one of")]
    [InlineData("feed", "/nonexistent/file", "", "does not exist")]
    [InlineData("feed", "", "CONTAINERSDK_SURELY_UNSET_VARIABLE", "is not set")]
    [InlineData("bad id", "", "HOME", "must be letters")]
    public void Unusable_secrets_are_CSDK5005_before_any_engine_runs(string id, string file, string env, string expected)
    {
        FakeEngine("podman", WorkingPodman);
        var (task, engine) = Create(t => t.Secrets = [new TaskItem(id, new Dictionary<string, string> { ["File"] = file, ["Environment"] = env })]);

        task.Execute().ShouldBeFalse();

        var error = engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("CSDK5005");
        error.Message!.ShouldContain(expected);
        File.Exists(CallLog).ShouldBeFalse();
    }

    [Fact]
    public void Push_sends_every_tag_and_returns_the_digest()
    {
        FakeEngine("podman", WorkingPodman);
        var (task, engine) = Create(t =>
        {
            t.Registry = "127.0.0.1:5000";
            t.Tags = ["1.0", "latest"];
            t.Push = true;
            t.PushArguments = ["--tls-verify=false"];
        });

        task.Execute().ShouldBeTrue(engine.Log);

        var pushes = Calls().Where(c => c.Args[0] == "push").Select(c => c.Args).ToList();
        pushes.Count.ShouldBe(2);
        pushes[0].ShouldBe(["push", "--digestfile", Path.Combine(_root, "obj", "containersdk-image.digest"), "--tls-verify=false", "127.0.0.1:5000/inference:1.0"]);
        pushes[1].Last().ShouldBe("127.0.0.1:5000/inference:latest");
        task.ImageDigest.ShouldBe("sha256:" + new string('0', 63) + "9");
        using var info = JsonDocument.Parse(File.ReadAllText(task.InfoFile));
        info.RootElement.GetProperty("pushed").GetBoolean().ShouldBeTrue();
        info.RootElement.GetProperty("digest").GetString().ShouldBe(task.ImageDigest);
    }

    [Fact]
    public void A_failed_push_is_CSDK5004()
    {
        FakeEngine("podman", WorkingPodman.Replace("  push)", "  push) echo 'Error: trying to reuse blob: unauthorized: authentication required' >&2; exit 125 ;;\n  pushold)"));
        var (task, engine) = Create(t =>
        {
            t.Registry = "registry.example.com";
            t.Push = true;
        });

        task.Execute().ShouldBeFalse();

        var error = engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("CSDK5004");
        error.Message!.ShouldContain("registry.example.com/inference:latest");
        error.Message!.ShouldContain("podman exited with code 125");
        error.Message!.ShouldContain("unauthorized: authentication required");
    }

    [Fact]
    public void Push_without_a_registry_is_CSDK5009()
    {
        FakeEngine("podman", WorkingPodman);
        var (task, engine) = Create(t => t.Push = true);

        task.Execute().ShouldBeFalse();

        engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("CSDK5009");
        File.Exists(CallLog).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Engine", "kubectl", "CSDK5002")]
    [InlineData("Repository", "My App", "CSDK5008")]
    [InlineData("Registry", "https://ghcr.io", "CSDK5008")]
    [InlineData("Tags", "-bad", "CSDK5008")]
    [InlineData("Verify", "maybe", "CSDK5008")]
    public void Invalid_properties_are_errors_before_any_engine_runs(string property, string value, string code)
    {
        FakeEngine("podman", WorkingPodman);
        var (task, engine) = Create(t =>
        {
            switch (property)
            {
                case "Engine": t.Engine = value; break;
                case "Repository": t.Repository = value; break;
                case "Registry": t.Registry = value; break;
                case "Tags": t.Tags = [value]; break;
                default: t.Verify = value; break;
            }
        });

        task.Execute().ShouldBeFalse();

        engine.Errors.ShouldHaveSingleItem().Code.ShouldBe(code);
        engine.Errors[0].Message!.ShouldContain(value);
        File.Exists(CallLog).ShouldBeFalse();
    }

    [Fact]
    public void Docker_multi_platform_without_push_is_CSDK5006()
    {
        FakeEngine("docker", """[ "$1" = version ] && { echo 27.3.1; exit 0; }; exit 0""");
        var (task, engine) = Create(t => t.Platforms = ["linux/amd64", "linux/arm64"]);
        task.Execute().ShouldBeFalse();
        engine.Errors.ShouldHaveSingleItem().Code.ShouldBe("CSDK5006");
    }

    [Fact]
    public void Docker_builds_with_BuildKit_turned_on()
    {
        // docker before 23.0 runs its legacy builder unless DOCKER_BUILDKIT=1, and that builder fails on
        // FROM --platform=$BUILDPLATFORM. The fake records what its build saw.
        string seen = Path.Combine(_root, "buildkit.txt");
        FakeEngine("docker", $$"""
            case "$1" in
              version) echo 20.10.24 ;;
              build) echo "build:${DOCKER_BUILDKIT:-unset}" >> "{{seen}}"
                while [ $# -gt 0 ]; do [ "$1" = "--iidfile" ] && printf 'sha256:%064d' 5 > "$2"; shift; done ;;
            esac
            """);
        var (task, engine) = Create(t => t.Engine = "docker");
        task.Execute().ShouldBeTrue(engine.Log);
        File.ReadAllText(seen).Trim().ShouldBe("build:1");
    }



}
