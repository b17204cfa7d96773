using ContainerSdk.Images.Building;
using ContainerSdk.Images.Engines;

namespace ContainerSdk.Images.Tests.Building;

/// <summary>The input rules of the image build, one row per value (before, they were reachable only through the task).</summary>
public sealed class ImageBuildValidationTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" Auto ", null)]
    [InlineData("docker", ContainerEngineKind.Docker)]
    [InlineData("PODMAN", ContainerEngineKind.Podman)]
    [InlineData("buildah", ContainerEngineKind.Buildah)]
    public void Engines_that_are_known(string? value, ContainerEngineKind? expected)
    {
        ImageBuildValidation.TryEngine(value, out ContainerEngineKind? kind).ShouldBeNull();
        kind.ShouldBe(expected);
    }

    [Theory]
    [InlineData("kubectl")]
    [InlineData("nerdctl")]
    public void An_unknown_engine_is_CSDK5002_naming_it(string value)
    {
        var error = ImageBuildValidation.TryEngine(value, out _).ShouldNotBeNull();
        error.Code.ShouldBe("CSDK5002");
        error.IsError.ShouldBeTrue();
        error.Message.ShouldContain(value);
    }

    [Theory]
    [InlineData(null, "true")]
    [InlineData("TRUE", "true")]
    [InlineData(" warn ", "warn")]
    [InlineData("false", "false")]
    public void Verify_modes(string? value, string expected)
    {
        ImageBuildValidation.TryVerifyMode(value, out string mode).ShouldBeNull();
        mode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("yes")]
    public void Another_verify_mode_is_CSDK5008(string value) =>
        ImageBuildValidation.TryVerifyMode(value, out _).ShouldNotBeNull().Code.ShouldBe("CSDK5008");

    [Theory]
    [InlineData("", "inference", "", "inference:latest")]
    [InlineData("ghcr.io/", "/my-org/inference/", "1.0", "ghcr.io/my-org/inference:1.0")]
    [InlineData("127.0.0.1:5000", "a", "1;1; 2 ;", "127.0.0.1:5000/a:1|127.0.0.1:5000/a:2")]
    [InlineData("localhost:5000", "a.b_c-d/e", "v1.2.3-rc_1", "localhost:5000/a.b_c-d/e:v1.2.3-rc_1")]
    public void References_join_registry_repository_and_each_distinct_tag(string registry, string repository, string tags, string expected)
    {
        ImageBuildValidation.TryReferences(registry, repository, tags.Split(';'), out List<string> references).ShouldBeNull();
        string.Join("|", references).ShouldBe(expected);
    }

    [Theory]
    [InlineData("https://ghcr.io", "a", "1", "ContainerRegistry")]
    [InlineData("ghcr.io/org", "a", "1", "ContainerRegistry")]
    [InlineData("", "My App", "1", "ContainerRepository")]
    [InlineData("", "Inference", "1", "ContainerRepository")]
    [InlineData("", "a", "-bad", "ContainerImageTags")]
    [InlineData("", "a", ".bad", "ContainerImageTags")]
    [InlineData("", "a", "a:b", "ContainerImageTags")]
    public void A_bad_registry_repository_or_tag_is_CSDK5008_naming_the_property(string registry, string repository, string tags, string property)
    {
        var error = ImageBuildValidation.TryReferences(registry, repository, tags.Split(';'), out _).ShouldNotBeNull();
        error.Code.ShouldBe("CSDK5008");
        error.Message.ShouldContain(property);
    }

    [Fact]
    public void A_tag_of_129_characters_is_too_long() =>
        ImageBuildValidation.TryReferences("", "a", [new string('t', 129)], out _).ShouldNotBeNull().Code.ShouldBe("CSDK5008");

    [Theory]
    [InlineData("feed", "", "", "give exactly one of")]
    [InlineData("feed", "/nonexistent/file", "", "does not exist")]
    [InlineData("feed", "", "CONTAINERSDK_SURELY_UNSET_VARIABLE", "is not set")]
    [InlineData("feed", "/etc/hostname", "HOME", "give exactly one of")]
    [InlineData("bad id", "", "HOME", "must be letters")]
    public void Unusable_secrets_are_CSDK5005(string id, string file, string env, string expected)
    {
        var error = ImageBuildValidation.TrySecrets([new BuildSecretInput(id, file, env)], out _, out _).ShouldNotBeNull();
        error.Code.ShouldBe("CSDK5005");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void A_secret_id_given_twice_is_CSDK5005() =>
        ImageBuildValidation.TrySecrets([new BuildSecretInput("feed", "", "HOME"), new BuildSecretInput(" feed ", "", "PATH")], out _, out _)
            .ShouldNotBeNull().Message.ShouldContain("given twice");

    [Fact]
    public void Secrets_split_into_files_with_full_paths_and_environment_names()
    {
        string file = Path.GetTempFileName();
        try
        {
            ImageBuildValidation.TrySecrets([new BuildSecretInput(" nuget ", file, ""), new BuildSecretInput("feed", "", " HOME ")], out var files, out var environment).ShouldBeNull();
            files.ShouldBe([new BuildSecret("nuget", Path.GetFullPath(file), null)]);
            environment.ShouldBe([new BuildSecret("feed", null, "HOME")]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(true, "", "CSDK5009")]
    [InlineData(true, " ", "CSDK5009")]
    [InlineData(true, "ghcr.io", null)]
    [InlineData(false, "", null)]
    public void Push_needs_a_registry(bool push, string registry, string? code) =>
        (ImageBuildValidation.TryPushTarget(push, registry, "inference:latest")?.Code).ShouldBe(code);

    [Fact]
    public void A_missing_Dockerfile_or_context_is_CSDK5008_naming_the_property()
    {
        string folder = Directory.CreateTempSubdirectory("containersdk-validation-").FullName;
        try
        {
            string dockerfile = Path.Combine(folder, "Dockerfile");
            ImageBuildValidation.TryPaths(dockerfile, folder).ShouldNotBeNull().Message.ShouldContain("ContainerDockerfile");
            File.WriteAllText(dockerfile, "FROM scratch\n");
            ImageBuildValidation.TryPaths(dockerfile, Path.Combine(folder, "missing")).ShouldNotBeNull().Message.ShouldContain("ContainerBuildContext");
            ImageBuildValidation.TryPaths(dockerfile, folder).ShouldBeNull();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(ContainerEngineKind.Docker, false, "linux/amd64;linux/arm64", "CSDK5006")]
    [InlineData(ContainerEngineKind.Docker, true, "linux/amd64;linux/arm64", null)]
    [InlineData(ContainerEngineKind.Docker, false, " linux/amd64 ;;", null)]
    [InlineData(ContainerEngineKind.Podman, false, "linux/amd64;linux/arm64", null)]
    public void Docker_keeps_several_platforms_only_in_a_registry(ContainerEngineKind kind, bool push, string platforms, string? code)
    {
        (ImageBuildValidation.TryPlatforms(platforms.Split(';'), kind, push, out List<string> list)?.Code).ShouldBe(code);
        list.ShouldAllBe(p => p.Length > 0 && p == p.Trim());
    }
}
