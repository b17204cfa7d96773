using ContainerSdk.Images.Engines;

namespace ContainerSdk.Images.Tests.Engines;

/// <summary>The engines' command lines and output parsing, free of side effects (moved from the task tests: they
/// never needed MSBuild).</summary>
public sealed class EngineCommandsTests
{
    [Fact]
    public void Docker_gets_environment_secrets_by_name()
    {
        EngineCommands.SecretArgument(ContainerEngineKind.Docker, new BuildSecret("feed", null, "FEED_TOKEN")).ShouldBe("id=feed,env=FEED_TOKEN");
        Should.Throw<ArgumentException>(() => EngineCommands.SecretArgument(ContainerEngineKind.Buildah, new BuildSecret("feed", null, "FEED_TOKEN")));
    }

    [Fact]
    public void Podman_and_buildah_collect_several_platforms_in_a_manifest_list_and_push_it_whole()
    {
        var request = new ImageBuildRequest
        {
            Dockerfile = "/p/Dockerfile", Context = "/p", References = ["r.io/a:1"], Platforms = ["linux/amd64", "linux/arm64"], ImageIdFile = "/o/iid",
        };
        EngineCommands.Build(ContainerEngineKind.Buildah, request).ShouldBe(
            ["build", "--format", "docker", "--layers", "--file", "/p/Dockerfile", "--manifest", "r.io/a:1", "--platform", "linux/amd64,linux/arm64", "/p"]);
        EngineCommands.Push(ContainerEngineKind.Podman, "r.io/a:1", "/o/d", manifestList: true, []).ShouldBe(
            ["manifest", "push", "--all", "--digestfile", "/o/d", "r.io/a:1", "docker://r.io/a:1"]);
        EngineCommands.Push(ContainerEngineKind.Buildah, "r.io/a:1", "/o/d", manifestList: true, []).ShouldBe(
            ["manifest", "push", "--all", "--digestfile", "/o/d", "r.io/a:1", "docker://r.io/a:1"]);
    }

    [Fact]
    public void Export_for_verification_writes_an_uncompressed_docker_archive_with_each_engine()
    {
        EngineCommands.Save(ContainerEngineKind.Docker, "sha256:1", "/o/x.tar").ShouldBe(["save", "--output", "/o/x.tar", "sha256:1"]);
        EngineCommands.Save(ContainerEngineKind.Podman, "sha256:1", "/o/x.tar").ShouldBe(["save", "--format", "docker-archive", "--output", "/o/x.tar", "sha256:1"]);
        EngineCommands.Save(ContainerEngineKind.Buildah, "sha256:1", "/o/x.tar").ShouldBe(["push", "sha256:1", "docker-archive:/o/x.tar"]);
    }

    [Fact]
    public void Docker_push_output_gives_the_digest()
    {
        string digest = "sha256:" + new string('c', 64);
        EngineCommands.DigestFromDockerPushOutput(["The push refers to repository [ghcr.io/o/a]", "5f70bf18a086: Pushed", $"latest: digest: {digest} size: 1573"])
            .ShouldBe(digest);
        EngineCommands.DigestFromDockerPushOutput(["nothing here"]).ShouldBeNull();
    }

    [Fact]
    public void The_lines_that_matter_drop_noise_and_repeats_and_fall_back_to_the_tail()
    {
        EngineProcess.LinesThatMatter(["#12 3.456 \u001b[31merror\u001b[0m: something broke", "#12 3.456 error: something broke", "ok", "STEP 2/9: RUN x"])
            .ShouldBe(["error: something broke"]);
        EngineProcess.LinesThatMatter(["all", "quiet"]).ShouldBe(["all", "quiet"]);
    }

    [Fact]
    public void Docker_with_several_platforms_builds_with_buildx_and_pushes_while_building()
    {
        var args = EngineCommands.Build(ContainerEngineKind.Docker, new ImageBuildRequest
        {
            Dockerfile = "/p/Dockerfile", Context = "/p", References = ["r.io/a:1"], Platforms = ["linux/amd64", "linux/arm64"], ImageIdFile = "/o/iid", Push = true,
        });
        args.ShouldBe(["buildx", "build", "--push", "--file", "/p/Dockerfile", "--iidfile", "/o/iid", "--tag", "r.io/a:1", "--platform", "linux/amd64,linux/arm64", "/p"]);
    }

    [Fact]
    public void Only_docker_gets_DOCKER_BUILDKIT()
    {
        EngineCommands.Environment(ContainerEngineKind.Docker).ShouldBe([new KeyValuePair<string, string>("DOCKER_BUILDKIT", "1")]);
        EngineCommands.Environment(ContainerEngineKind.Podman).ShouldBeEmpty();
        EngineCommands.Environment(ContainerEngineKind.Buildah).ShouldBeEmpty();
    }
}
