using ContainerSdk.Generation;
using ContainerSdk.Model;
using ContainerSdk.Parsing;

namespace ContainerSdk.Core.Tests;

/// <summary>netcoreapp3.1 and net5.0: last official images, RID instead of -a, port 8080, a precise upgrade warning.</summary>
public class LegacyFrameworkTests
{
    private static GenerationResult Generate(ContainerInputs inputs) => DockerfileGenerator.Generate(inputs);

    [Theory]
    [InlineData("v3.1", true, false, "sdk:3.1", "aspnet:3.1", ".NET Core 3.1 (netcoreapp3.1)", "2022-12-13")]
    [InlineData("v3.1", false, false, "sdk:3.1", "runtime:3.1", ".NET Core 3.1 (netcoreapp3.1)", "2022-12-13")]
    [InlineData("v3.1", true, true, "sdk:3.1", "runtime-deps:3.1", ".NET Core 3.1 (netcoreapp3.1)", "2022-12-13")]
    [InlineData("v5.0", true, false, "sdk:5.0", "aspnet:5.0", ".NET 5 (net5.0)", "2022-05-10")]
    [InlineData("v5.0", false, true, "sdk:5.0", "runtime-deps:5.0", ".NET 5 (net5.0)", "2022-05-10")]
    public void Legacy_frameworks_build_on_their_last_images_with_an_upgrade_warning(
        string version, bool web, bool selfContained, string sdk, string runtime, string name, string date)
    {
        var result = Generate(TestInputs.Web() with { TargetFrameworkVersion = version, IsWebProject = web, SelfContained = selfContained ? "true" : "false" });
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        result.Spec!.SdkImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/" + sdk);
        result.Spec.RuntimeImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/" + runtime);
        result.Spec.User.ShouldBe("1654:1654");
        var warning = result.Diagnostics.Single();
        warning.Code.ShouldBe("CSDK2020");
        warning.IsError.ShouldBeFalse();
        warning.Message.ShouldStartWith(name + " is out of support since " + date);
        warning.Message.ShouldContain("move to .NET 10 (net10.0), the first supported release after it");

        var parsed = DockerfileParser.Parse(result.Dockerfile!);
        var runs = parsed.Where(i => i.Keyword == "RUN").Select(i => i.Arguments).ToList();
        runs.Count.ShouldBe(2);
        runs.ShouldAllBe(r => r.Contains("case \"$TARGETARCH\" in") && r.Contains("-r \"$rid\"") && !r.Contains(" -a "));
        parsed.Single(i => i.Keyword == "USER").Arguments.ShouldBe("1654:1654");
    }

    [Fact]
    public void Legacy_web_apps_listen_on_8080_through_aspnetcore_urls()
    {
        var result = Generate(TestInputs.Web() with { TargetFrameworkVersion = "v3.1" });
        var env = result.Spec!.Environment.ToDictionary(e => e.Name, e => e.Value);
        env["ASPNETCORE_URLS"].ShouldBe("http://+:8080");
        env.ShouldNotContainKey("ASPNETCORE_HTTP_PORTS");
        // .NET 6 and 7 images also set ASPNETCORE_URLS=http://+:80 and do not read ASPNETCORE_HTTP_PORTS.
        Generate(TestInputs.Web() with { TargetFrameworkVersion = "v6.0" }).Spec!.Environment.ShouldContain(new NameValue("ASPNETCORE_URLS", "http://+:8080"));
        Generate(TestInputs.Web()).Spec!.Environment.ShouldContain(new NameValue("ASPNETCORE_HTTP_PORTS", "8080"));
    }

    [Fact]
    public void The_rid_mapping_covers_the_architectures_the_legacy_sdks_publish_for()
    {
        DockerfileBuilder.RidFromTargetArch.ShouldContain("amd64) rid=linux-x64");
        DockerfileBuilder.RidFromTargetArch.ShouldContain("arm64) rid=linux-arm64");
        DockerfileBuilder.RidFromTargetArch.ShouldContain("exit 1");
    }

    [Fact]
    public void A_newer_sdk_for_a_legacy_framework_uses_the_arch_option()
    {
        var result = Generate(TestInputs.Web() with { TargetFrameworkVersion = "v3.1", LangVersion = "10" });
        result.Spec!.SdkImage.Tag.ShouldBe("6.0");
        result.Dockerfile!.ShouldContain("-a \"$TARGETARCH\"");
        result.Dockerfile!.ShouldNotContain("case \"$TARGETARCH\"");
        result.Spec.RuntimeImage.Tag.ShouldBe("3.1");
    }

    [Fact]
    public void Health_probe_needs_net5()
    {
        var result = Generate(TestInputs.Web() with { TargetFrameworkVersion = "v3.1", HealthCheckPath = "/healthz" });
        result.Succeeded.ShouldBeFalse();
        result.Diagnostics.Single(d => d.IsError).Code.ShouldBe("CSDK2021");
        Generate(TestInputs.Web() with { TargetFrameworkVersion = "v5.0", HealthCheckPath = "/healthz" }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void A_family_can_still_be_chosen_for_legacy_images() =>
        Generate(TestInputs.Web() with { TargetFrameworkVersion = "v5.0", Family = "focal" }).Spec!.RuntimeImage.Tag.ShouldBe("5.0-focal");
}
