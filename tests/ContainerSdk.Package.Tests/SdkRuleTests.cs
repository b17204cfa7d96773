using ContainerSdk.Parsing;

namespace ContainerSdk.Package.Tests;

/// <summary>The build stage's SDK rule and the legacy frameworks, through the packed package and a real evaluation.</summary>
[Collection(PackageCollection.Name)]
public sealed class SdkRuleTests(PackageFixture package)
{
    private static IReadOnlyList<ParsedInstruction> Parse(TestProject project) => DockerfileParser.Parse(project.ReadDockerfile());

    private static string Sdk(IReadOnlyList<ParsedInstruction> parsed) => parsed.First(i => i.Keyword == "FROM").Arguments;

    private static string Runtime(IReadOnlyList<ParsedInstruction> parsed) => parsed.Last(i => i.Keyword == "FROM").Arguments;

    private static TestProject Create(PackageFixture package, string name, ReferenceMode mode, string properties, string items = "")
    {
        var project = TestProject.Create(package, package.NewWorkspace(name + "-" + mode), "app", mode, properties: properties, items: items);
        // TestProject writes net10.0; these projects say their own framework(s).
        File.WriteAllText(project.ProjectFile, File.ReadAllText(project.ProjectFile).Replace("<TargetFramework>net10.0</TargetFramework>", ""));
        return project;
    }

    [Theory]
    [InlineData(ReferenceMode.Sdk)]
    [InlineData(ReferenceMode.PackageReference)]
    public void Net8_with_csharp_14_builds_on_the_net10_sdk_and_runs_on_aspnet_8(ReferenceMode mode)
    {
        var project = Create(package, "langversion14", mode, "<TargetFramework>net8.0</TargetFramework><LangVersion>14</LangVersion>");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var parsed = Parse(project);
        Sdk(parsed).ShouldBe("--platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build");
        Runtime(parsed).ShouldBe("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled");
        project.ReadDockerfile().ShouldContain("# The .NET 10 SDK, not net8.0's: LangVersion 14 needs SDK 10.\n");
    }

    [Fact]
    public void The_rule_catches_the_csharp_14_case_that_the_lab_sdk_stand_in_cannot()
    {
        // Every SDK stand-in in the lab is this machine's .NET 10 SDK, so an image build on "sdk:8.0" would compile C# 14
        // and pass. The .NET 8 SDK's compiler knows C# 12 at most: the same sources with LangVersion 12 fail here,
        // which is what a real sdk:8.0 build stage would do. The generated Dockerfile must therefore name sdk:10.0.
        var project = Create(package, "csharp14", ReferenceMode.PackageReference, "<TargetFramework>net8.0</TargetFramework><LangVersion>14</LangVersion>");
        File.WriteAllText(Path.Combine(project.Directory, "Counter.cs"),
            "public sealed class Counter { public int Value { get => field; set => field = value < 0 ? 0 : value; } }\n");
        project.Build("-t:Build;GenerateDockerfile").ShouldSucceed();
        Sdk(Parse(project)).ShouldBe("--platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build");

        var asCSharp12 = project.Build("-p:LangVersion=12", "-p:GenerateDockerfile=false");
        asCSharp12.ExitCode.ShouldNotBe(0, asCSharp12.Output);
        asCSharp12.Errors.ShouldContain(e => e.Contains("Counter.cs"), asCSharp12.Output);
    }

    [Fact]
    public void Multi_targeting_builds_every_framework_on_the_highest_sdk_and_runs_the_container_framework()
    {
        // Issue 14, defect 3: sdk:8.0 cannot restore net10.0 (NETSDK1045).
        var project = Create(package, "multi-sdk", ReferenceMode.PackageReference, "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var parsed = Parse(project);
        Sdk(parsed).ShouldBe("--platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build");
        Runtime(parsed).ShouldBe("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled");
        parsed.Single(i => i.Arguments.Contains("dotnet publish")).Arguments.ShouldContain(" -f net8.0 ");
    }

    [Fact]
    public void Global_json_that_rolls_to_any_major_raises_the_floor()
    {
        var project = Create(package, "global-json", ReferenceMode.Sdk, "<TargetFramework>net8.0</TargetFramework>");
        // latestMajor lets this machine's SDK build it; the image still gets at least the SDK global.json names.
        File.WriteAllText(Path.Combine(project.Directory, "global.json"), """
            {
              // comments are allowed, as dotnet allows them
              "sdk": { "version": "9.0.100", "rollForward": "latestMajor" }
            }
            """);
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var parsed = Parse(project);
        Sdk(parsed).ShouldBe("--platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:9.0 AS build");
        Runtime(parsed).ShouldBe("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled");
        parsed.Where(i => i.Keyword == "COPY").Select(i => i.Arguments).ShouldContain(a => a.Contains("\"global.json\""));
    }

    [Fact]
    public void Sdk_image_that_is_too_old_is_an_error_and_nothing_is_written()
    {
        var project = Create(package, "sdk-too-old", ReferenceMode.PackageReference,
            "<TargetFramework>net8.0</TargetFramework><LangVersion>13</LangVersion><ContainerSdkImage>mcr.microsoft.com/dotnet/sdk:8.0</ContainerSdkImage>");
        var result = project.Build("-t:GenerateDockerfile");
        result.ExitCode.ShouldNotBe(0);
        result.ErrorCodes.ShouldContain("CSDK1027", result.Output);
        File.Exists(project.Dockerfile).ShouldBeFalse();
    }

    [Theory]
    [InlineData("netcoreapp3.1", "3.1", ".NET Core 3.1 (netcoreapp3.1) is out of support since 2022-12-13")]
    [InlineData("net5.0", "5.0", ".NET 5 (net5.0) is out of support since 2022-05-10")]
    public void Legacy_framework_gets_its_last_images_a_rid_and_an_upgrade_warning(string framework, string channel, string warning)
    {
        // No apphost: this machine's NuGet feed lacks the 3.1/5.0 apphost packs that SDK 10 would fetch for it; the
        // image's own SDK (sdk:3.1, sdk:5.0) carries its apphost.
        var project = Create(package, "legacy-" + channel, ReferenceMode.PackageReference, $"<TargetFramework>{framework}</TargetFramework><UseAppHost>false</UseAppHost>");
        var result = project.Build("-t:GenerateDockerfile");
        result.ShouldSucceed();
        result.WarningCodes.ShouldContain("CSDK2020");
        result.Warnings.Single(w => w.Contains("CSDK2020")).ShouldContain(warning);
        result.Warnings.Single(w => w.Contains("CSDK2020")).ShouldContain("net10.0");
        var parsed = Parse(project);
        Sdk(parsed).ShouldBe($"--platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:{channel} AS build");
        Runtime(parsed).ShouldBe($"mcr.microsoft.com/dotnet/aspnet:{channel}");
        var publish = parsed.Single(i => i.Arguments.Contains("dotnet publish")).Arguments;
        publish.ShouldContain("-r \"$rid\"");
        publish.ShouldNotContain("-a \"$TARGETARCH\"");
        parsed.Single(i => i.Keyword == "USER").Arguments.ShouldBe("1654:1654");
        var env = parsed.Where(i => i.Keyword == "ENV").SelectMany(i => DockerfileParser.ParseKeyValues(i.Arguments)!).ToDictionary(k => k.Key, k => k.Value);
        env["ASPNETCORE_URLS"].ShouldBe("http://+:8080");
    }

    [Theory]
    [InlineData("netcoreapp3.0")]
    public void Older_frameworks_keep_a_coded_error(string framework)
    {
        var project = Create(package, "too-old", ReferenceMode.PackageReference, $"<TargetFramework>{framework}</TargetFramework><UseAppHost>false</UseAppHost>");
        var result = project.Build("-t:GenerateDockerfile");
        result.ExitCode.ShouldNotBe(0);
        result.ErrorCodes.ShouldContain("CSDK1012", result.Output);
        File.Exists(project.Dockerfile).ShouldBeFalse();
    }

    [Fact]
    public void Declared_privileged_port_warns_under_the_non_root_user()
    {
        var project = TestProject.Create(package, package.NewWorkspace("port-80"), "app", ReferenceMode.PackageReference,
            items: """<ContainerPort Include="80" />""");
        var result = project.Build("-t:GenerateDockerfile");
        result.ShouldSucceed();
        result.WarningCodes.ShouldContain("CSDK2022");
        result.Warnings.Single(w => w.Contains("CSDK2022")).ShouldContain("ContainerPort 80");
    }
}
