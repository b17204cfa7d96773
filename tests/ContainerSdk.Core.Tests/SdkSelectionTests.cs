using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;
using ContainerSdk.Images;
using ContainerSdk.Model;
using ContainerSdk.Parsing;

namespace ContainerSdk.Core.Tests;

/// <summary>The build stage's SDK: highest of the frameworks, global.json (with rollForward) and LangVersion.</summary>
public class SdkSelectionTests
{
    private static GenerationResult Generate(ContainerInputs inputs) => DockerfileGenerator.Generate(inputs);

    private static ContainerInputs Net(string version, Func<ContainerInputs, ContainerInputs>? change = null)
    {
        var inputs = TestInputs.Web() with { TargetFrameworkVersion = version };
        return change is null ? inputs : change(inputs);
    }

    [Theory]
    // framework, LangVersion, global.json version, rollForward, expected SDK tag
    [InlineData("v8.0", null, null, null, "8.0")]
    [InlineData("v8.0", "12", null, null, "8.0")]
    [InlineData("v8.0", "12.0", null, null, "8.0")]
    [InlineData("v8.0", "13", null, null, "9.0")]
    [InlineData("v8.0", "14", null, null, "10.0")]
    [InlineData("v8.0", "14.0", null, null, "10.0")]
    [InlineData("v8.0", "latest", null, null, "10.0")]
    [InlineData("v8.0", "Latest", null, null, "10.0")]
    [InlineData("v8.0", "preview", null, null, "10.0")]
    [InlineData("v8.0", "latestMajor", null, null, "10.0")]
    [InlineData("v8.0", "default", null, null, "8.0")]
    [InlineData("v8.0", "7.3", null, null, "8.0")]
    [InlineData("v9.0", "11", null, null, "9.0")]
    [InlineData("v10.0", "12", null, null, "10.0")]
    [InlineData("v8.0", null, "9.0.100", "latestFeature", "9.0")]
    [InlineData("v8.0", null, "9.0.100", null, "9.0")]
    [InlineData("v8.0", null, "10.0.100", "latestMajor", "10.0")]
    [InlineData("v8.0", null, "8.0.100", "latestMajor", "8.0")]
    [InlineData("v10.0", null, "8.0.100", "latestMajor", "10.0")]
    [InlineData("v10.0", null, "8.0.100", "major", "10.0")]
    [InlineData("v8.0", "13", "8.0.400", "LATESTMAJOR", "9.0")]
    [InlineData("v8.0", "14", "9.0.100", "latestMajor", "10.0")]
    [InlineData("v8.0", null, "10.0.100-rc.2.25502.107", "latestMinor", "10.0")]
    [InlineData("v3.1", null, null, null, "3.1")]
    [InlineData("v3.1", "14", null, null, "10.0")]
    [InlineData("v3.1", null, "6.0.100", "latestFeature", "6.0")]
    [InlineData("v5.0", null, null, null, "5.0")]
    [InlineData("v5.0", "10", null, null, "6.0")]
    public void Sdk_is_the_highest_of_framework_global_json_and_language_version(
        string framework, string? langVersion, string? globalVersion, string? rollForward, string expected)
    {
        var result = Generate(Net(framework, i => i with { LangVersion = langVersion, GlobalJsonPath = "global.json", GlobalJsonSdkVersion = globalVersion, GlobalJsonRollForward = rollForward }));
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        result.Spec!.SdkImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/sdk:" + expected);
        result.Spec.SdkMajor.ShouldBe(int.Parse(expected.Split('.')[0]));
        result.Diagnostics.Where(d => d.Code.StartsWith("CSDK10", StringComparison.Ordinal) && d.Code != "CSDK1029").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("8.0.100", null, "latestPatch", "8.0.1xx", "sdk:8.0")]
    [InlineData("8.0.303", "patch", "patch", "8.0.3xx", "sdk:8.0")]
    [InlineData("9.0.100", "disable", "disable", "9.0.1xx", "sdk:9.0")]
    public void Global_json_that_stays_in_its_feature_band_warns(string version, string? rollForward, string policy, string band, string image)
    {
        var result = Generate(Net("v8.0", i => i with { GlobalJsonPath = "global.json", GlobalJsonSdkVersion = version, GlobalJsonRollForward = rollForward }));
        result.Succeeded.ShouldBeTrue();
        var warning = result.Diagnostics.Single(d => d.Code == "CSDK1029");
        warning.Message.ShouldContain($"rollForward {policy}, which accepts only the {band} feature band");
        warning.Message.ShouldContain("mcr.microsoft.com/dotnet/" + image);
    }

    [Theory]
    [InlineData("feature")]
    [InlineData("latestFeature")]
    [InlineData("minor")]
    [InlineData("latestMajor")]
    public void Global_json_that_may_leave_its_band_does_not_warn(string rollForward)
    {
        var result = Generate(Net("v8.0", i => i with { GlobalJsonSdkVersion = "8.0.100", GlobalJsonRollForward = rollForward }));
        result.Diagnostics.ShouldNotContain(d => d.Code == "CSDK1029");
        Generate(Net("v8.0", i => i with { GlobalJsonSdkVersion = "8.0.100", SdkImage = "mcr.microsoft.com/dotnet/sdk:8.0.100" }))
            .Diagnostics.ShouldNotContain(d => d.Code == "CSDK1029", "ContainerSdkImage names the SDK itself");
    }

    [Theory]
    [InlineData("net8.0;net10.0", "v8.0", "10.0", "aspnet:8.0-noble-chiseled")]
    [InlineData("net10.0;net8.0", "v8.0", "10.0", "aspnet:8.0-noble-chiseled")]
    [InlineData("net8.0;net9.0", "v9.0", "9.0", "aspnet:9.0-noble-chiseled")]
    [InlineData("netcoreapp3.1;net8.0", "v3.1", "8.0", "aspnet:3.1")]
    [InlineData("net8.0;net48;netstandard2.0", "v8.0", "8.0", "aspnet:8.0-noble-chiseled")]
    [InlineData("net8.0-windows;net8.0", "v8.0", "8.0", "aspnet:8.0-noble-chiseled")]
    public void Multi_targeting_builds_every_framework_and_runs_the_container_one(string frameworks, string container, string sdk, string runtime)
    {
        var result = Generate(Net(container, i => i with { TargetFrameworks = frameworks, PublishFramework = container == "v3.1" ? "netcoreapp3.1" : "net" + container.Substring(1) }));
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        result.Spec!.SdkImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/sdk:" + sdk);
        result.Spec.RuntimeImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/" + runtime);
    }

    [Fact]
    public void The_from_line_says_why_when_more_than_the_framework_decided()
    {
        var result = Generate(Net("v8.0", i => i with { LangVersion = "14", TargetFrameworks = "net8.0;net9.0", PublishFramework = "net8.0" }));
        var from = DockerfileParser.Parse(result.Dockerfile!).First(i => i.Keyword == "FROM");
        from.Arguments.ShouldBe("--platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build");
        result.Dockerfile!.ShouldContain("# The .NET 10 SDK, not net8.0's: net9.0 needs SDK 9, LangVersion 14 needs SDK 10.\nFROM --platform");
        Generate(Net("v8.0")).Dockerfile!.ShouldNotContain("# The .NET");
        // The SDK's own default LangVersion for the framework explains nothing.
        Generate(Net("v10.0", i => i with { LangVersion = "14.0" })).Dockerfile!.ShouldNotContain("# The .NET");
        Generate(Net("v8.0", i => i with { LangVersion = "12.0", GlobalJsonSdkVersion = "9.0.100", GlobalJsonRollForward = "latestMajor" })).Dockerfile!
            .ShouldContain("# The .NET 9 SDK, not net8.0's: global.json 9.0.100 (rollForward latestMajor) asks for SDK 9.\n");
    }

    [Theory]
    [InlineData("v10.0", null, "8.0.100", null, "net10.0")]
    [InlineData("v10.0", null, "8.0.100", "latestFeature", "net10.0")]
    [InlineData("v9.0", null, "8.0.404", "latestMinor", "net9.0")]
    [InlineData("v8.0", "14", "8.0.100", "latestPatch", "LangVersion 14")]
    [InlineData("v8.0", "13", "8.0.100", "disable", "LangVersion 13")]
    [InlineData("v8.0", "preview", "9.0.100", "feature", "LangVersion preview")]
    public void Global_json_that_stays_on_an_older_major_is_an_error(string framework, string? langVersion, string version, string? rollForward, string culprit)
    {
        var result = Generate(Net(framework, i => i with { LangVersion = langVersion, GlobalJsonPath = "global.json", GlobalJsonSdkVersion = version, GlobalJsonRollForward = rollForward }));
        result.Succeeded.ShouldBeFalse();
        var error = result.Diagnostics.Single(d => d.IsError);
        error.Code.ShouldBe("CSDK1025");
        error.Message.ShouldContain(culprit);
        error.Message.ShouldContain("global.json asks for SDK " + version);
    }

    [Theory]
    [InlineData("15")]
    [InlineData("99.0")]
    public void Unknown_language_version_is_an_error(string langVersion)
    {
        var result = Generate(Net("v8.0", i => i with { LangVersion = langVersion }));
        result.Diagnostics.Single(d => d.IsError).Code.ShouldBe("CSDK1026");
        // The override is how a user moves ahead of the package's data.
        var overridden = Generate(Net("v8.0", i => i with { LangVersion = langVersion, SdkImage = "mcr.microsoft.com/dotnet/sdk:11.0" }));
        overridden.Succeeded.ShouldBeTrue(string.Join("\n", overridden.Diagnostics));
        overridden.Spec!.SdkImage.Tag.ShouldBe("11.0");
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0", "v8.0", "14", "CSDK1027")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0.404-noble", "v10.0", null, "CSDK1027")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:9.0", "v8.0", "13", null)]
    [InlineData("mcr.microsoft.com/dotnet/sdk:10.0", "v8.0", "14", null)]
    [InlineData("registry.example.com/build/dotnet:8", "v8.0", "14", null)]
    public void Sdk_image_override_wins_but_a_dotnet_sdk_tag_is_checked(string image, string framework, string? langVersion, string? error)
    {
        var result = Generate(Net(framework, i => i with { SdkImage = image, LangVersion = langVersion }));
        if (error is null)
        {
            result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
            result.Spec!.SdkImage.ToString().ShouldBe(image);
        }
        else
        {
            result.Diagnostics.Single(d => d.IsError).Code.ShouldBe(error);
        }
    }

    [Fact]
    public void Override_also_wins_over_global_json()
    {
        var result = Generate(Net("v10.0", i => i with { SdkImage = "mcr.microsoft.com/dotnet/sdk:10.0", GlobalJsonSdkVersion = "8.0.100" }));
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("ten", null, "version")]
    [InlineData("10.0.100", "sometimes", "rollForward")]
    public void Unreadable_global_json_warns_and_is_ignored(string version, string? rollForward, string field)
    {
        var result = Generate(Net("v8.0", i => i with { GlobalJsonPath = "global.json", GlobalJsonSdkVersion = version, GlobalJsonRollForward = rollForward }));
        result.Succeeded.ShouldBeTrue();
        result.Spec!.SdkImage.Tag.ShouldBe("8.0");
        var warning = result.Diagnostics.Single(d => d.Code == "CSDK1028");
        warning.Message.ShouldContain("sdk " + field);
    }

    [Theory]
    [InlineData("net8.0", 8)]
    [InlineData("net10.0", 10)]
    [InlineData("NET9.0", 9)]
    [InlineData("net8.0-windows10.0.19041", 8)]
    [InlineData("netcoreapp3.1", 3)]
    [InlineData("netcoreapp2.1", 2)]
    [InlineData("net5.0", 5)]
    [InlineData("net48", null)]
    [InlineData("net4.8", null)]
    [InlineData("netstandard2.0", null)]
    [InlineData("", null)]
    public void Framework_majors_are_read_from_monikers(string moniker, int? major) =>
        SdkSelection.FrameworkMajor(moniker).ShouldBe(major);

    [Fact]
    public void Language_table_is_ordered_and_its_sdks_are_known_releases()
    {
        var catalog = BaseImageCatalog.Default;
        catalog.LanguageVersions.Select(r => r.LanguageVersion).ShouldBe([8, 9, 10, 11, 12, 13, 14]);
        catalog.LanguageVersions.Select(r => r.MinSdkMajor).ShouldBeInOrder();
        catalog.LanguageVersions.Where(r => r.MinSdkMajor != 7).ShouldAllBe(r => catalog.FindDotnet(r.MinSdkMajor) != null);
        catalog.NewestKnownDotnet.ShouldBe(catalog.LanguageVersions[^1].MinSdkMajor, "latest/preview mean the newest SDK; the table must reach it");
    }

    [Fact]
    public void Same_inputs_give_the_same_bytes()
    {
        var inputs = Net("v8.0", i => i with { LangVersion = "14", GlobalJsonSdkVersion = "8.0.100", GlobalJsonRollForward = "latestMajor", TargetFrameworks = "net8.0;net9.0", PublishFramework = "net8.0" });
        Generate(inputs).Dockerfile.ShouldBe(Generate(inputs).Dockerfile);
    }
}
