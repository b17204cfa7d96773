using ContainerSdk.Diagnostics;
using ContainerSdk.Generation;
using ContainerSdk.Model;

namespace ContainerSdk.Core.Tests;

public class SpecValidationTests
{
    private static GenerationResult Generate(ContainerInputs inputs) => DockerfileGenerator.Generate(inputs);

    private static void ShouldFailWith(ContainerInputs inputs, string code)
    {
        var result = Generate(inputs);
        result.Succeeded.ShouldBeFalse();
        result.Dockerfile.ShouldBeNull();
        result.Diagnostics.Where(d => d.IsError).Select(d => d.Code).ShouldContain(code);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("0")]
    [InlineData("0:0")]
    [InlineData("root:root")]
    public void Root_user_is_an_error(string user) => ShouldFailWith(TestInputs.Web() with { User = user }, "CSDK1004");

    [Theory]
    [InlineData("root", "0:0")]
    [InlineData("0", "0:0")]
    [InlineData("0:5", "0:5")]
    public void Root_user_is_allowed_when_asked(string user, string rendered)
    {
        var result = Generate(TestInputs.Web() with { User = user, AllowRootUser = "true" });
        result.Succeeded.ShouldBeTrue();
        result.Spec!.User.ShouldBe(rendered);
    }

    [Theory]
    [InlineData("app")]
    [InlineData("-1")]
    [InlineData("99999999999")]
    [InlineData("1654:app")]
    [InlineData("1654\nUSER 0")]
    public void Non_numeric_or_invalid_users_are_errors(string user) => ShouldFailWith(TestInputs.Web() with { User = user }, "CSDK1003");

    [Theory]
    [InlineData("1654", "1654:1654")]
    [InlineData("1000:2000", "1000:2000")]
    [InlineData("", "1654:1654")]
    public void Numeric_users_are_kept(string user, string expected) =>
        Generate(TestInputs.Web() with { User = user }).Spec!.User.ShouldBe(expected);

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80/sctp")]
    [InlineData("http")]
    [InlineData("8080\nRUN x")]
    [InlineData("-1")]
    public void Invalid_ports_are_errors(string port) =>
        ShouldFailWith(TestInputs.Web() with { Ports = [new PortInput(port, null)] }, "CSDK1002");

    [Fact]
    public void Ports_default_to_8080_for_web_and_accept_udp()
    {
        Generate(TestInputs.Web()).Spec!.Ports.Select(p => p.ToString()).ShouldBe(["8080/tcp"]);
        Generate(TestInputs.Web() with { Ports = [new PortInput("5000", null), new PortInput("53", "UDP"), new PortInput("9090/tcp", null)] })
            .Spec!.Ports.Select(p => p.ToString()).ShouldBe(["5000/tcp", "53/udp", "9090/tcp"]);
        Generate(TestInputs.Web() with { IsWebProject = false }).Spec!.Ports.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("ContainerBaseImage")]
    [InlineData("ContainerSdkImage")]
    public void Invalid_images_are_errors(string property)
    {
        var inputs = property == "ContainerBaseImage"
            ? TestInputs.Web() with { BaseImage = "ubuntu\nUSER root" }
            : TestInputs.Web() with { SdkImage = "Not An Image" };
        ShouldFailWith(inputs, "CSDK1001");
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("rocm")]
    public void Invalid_accelerator_is_an_error(string value) => ShouldFailWith(TestInputs.Web() with { Accelerator = value }, "CSDK1005");

    [Fact]
    public void Cuda_without_a_gpu_package_is_an_error() =>
        ShouldFailWith(TestInputs.Web() with { Accelerator = "cuda" }, "CSDK2006");

    [Theory]
    [InlineData("12.5")]
    [InlineData("thirteen")]
    [InlineData("13.0.1\nUSER 0")]
    public void Unknown_cuda_version_is_an_error(string version) =>
        ShouldFailWith(Gpu() with { CudaVersion = version }, "CSDK1006");

    [Theory]
    [InlineData("12")]
    [InlineData("12.8.1")]
    [InlineData("11.8")]
    public void Cuda_version_of_the_wrong_major_is_an_error(string version) =>
        ShouldFailWith(Gpu() with { CudaVersion = version }, "CSDK2005");

    [Theory]
    [InlineData("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", "CSDK2005")]
    [InlineData("nvidia/cuda:13.0.1-runtime-ubuntu24.04", "CSDK2009")]
    [InlineData("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", "CSDK2005")]
    public void Cuda_base_image_that_cannot_load_onnxruntime_is_an_error(string image, string code) =>
        ShouldFailWith(Gpu() with { BaseImage = image }, code);

    [Fact]
    public void Gpu_package_older_than_the_table_is_an_error() =>
        ShouldFailWith(Gpu("1.16.3"), "CSDK2007");

    [Fact]
    public void Resolved_version_decides_the_cuda_major()
    {
        Generate(Gpu("1.20.0")).Spec!.RuntimeImage.ToString().ShouldBe("nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04");
        Generate(Gpu("1.31.0")).Spec!.RuntimeImage.ToString().ShouldBe("nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04");
        Generate(Gpu("1.18.0")).Spec!.RuntimeImage.ToString().ShouldBe("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04");
        Generate(Gpu("1.20.0") with { CudaVersion = "12.6" }).Spec!.RuntimeImage.ToString().ShouldBe("nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04");
    }

    [Fact]
    public void Accelerator_cpu_keeps_the_chiseled_base_for_a_gpu_package() =>
        Generate(Gpu() with { Accelerator = "cpu" }).Spec!.RuntimeImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled");

    [Theory]
    [InlineData(true, false, "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled")]
    [InlineData(false, false, "mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled")]
    [InlineData(true, true, "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled")]
    [InlineData(false, true, "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled")]
    public void Cpu_base_is_chosen_like_the_dotnet_sdk(bool web, bool selfContained, string expected) =>
        Generate(TestInputs.Web() with { IsWebProject = web, SelfContained = selfContained ? "true" : "false" })
            .Spec!.RuntimeImage.ToString().ShouldBe(expected);

    [Fact]
    public void Family_and_framework_pick_the_tag()
    {
        Generate(TestInputs.Web() with { Family = "azurelinux3.0-distroless", TargetFrameworkVersion = "v9.0" })
            .Spec!.RuntimeImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/aspnet:9.0-azurelinux3.0-distroless");
        Generate(TestInputs.Web() with { TargetFrameworkVersion = "v8.0" }).Spec!.SdkImage.ToString().ShouldBe("mcr.microsoft.com/dotnet/sdk:8.0");
    }

    [Theory]
    [InlineData("v6.0", "jammy-chiseled", "2024-11-12")]
    [InlineData("v7.0", "jammy-chiseled", "2024-05-14")]
    [InlineData("v8.0", "noble-chiseled", "2026-11-10")]
    [InlineData("v9.0", "noble-chiseled", "2026-11-10")]
    public void Out_of_support_frameworks_warn_and_get_the_family_their_images_were_published_in(string version, string family, string eol)
    {
        var result = Generate(TestInputs.Web() with { TargetFrameworkVersion = version });
        result.Succeeded.ShouldBeTrue();
        result.Spec!.RuntimeImage.Tag.ShouldBe(version.Substring(1) + "-" + family);
        var warning = result.Diagnostics.Single();
        warning.Code.ShouldBe("CSDK2011");
        warning.Message.ShouldContain(eol);
        warning.Message.ShouldContain("net10.0");
    }

    [Fact]
    public void Supported_framework_has_no_support_warning() =>
        Generate(TestInputs.Web()).Diagnostics.ShouldBeEmpty();

    [Fact]
    public void Explicit_base_image_is_taken_for_an_onnxruntime_older_than_the_table()
    {
        var result = Generate(Gpu("1.16.3") with { BaseImage = "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04" });
        result.Succeeded.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        result.Spec!.RuntimeImage.ToString().ShouldBe("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04");
    }

    [Fact]
    public void Dotnet_runtime_source_for_cuda_bases_can_be_pinned()
    {
        const string pinned = "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var result = Generate(Gpu() with { DotnetRuntimeImage = pinned, WarnOnFloatingTags = true });
        result.Spec!.DotnetRuntimeImage!.ToString().ShouldBe(pinned);
        result.Diagnostics.Where(d => d.Code == "CSDK2003").Select(d => d.Message).ShouldNotContain(m => m.Contains("ContainerDotnetRuntimeImage"));
        ShouldFailWith(Gpu() with { DotnetRuntimeImage = "not an image" }, "CSDK1001");
    }

    [Theory]
    [InlineData(".NETStandard", "v2.0")]
    [InlineData(".NETFramework", "v4.8")]
    [InlineData(".NETCoreApp", "v3.0")]
    [InlineData(".NETCoreApp", "v2.1")]
    [InlineData(".NETCoreApp", "v5.1")]
    public void Unsupported_frameworks_are_errors(string identifier, string version) =>
        ShouldFailWith(TestInputs.Web() with { TargetFrameworkIdentifier = identifier, TargetFrameworkVersion = version }, "CSDK1012");

    [Theory]
    [InlineData("Noble")]
    [InlineData("noble chiseled")]
    [InlineData("-noble")]
    public void Invalid_family_is_an_error(string family) => ShouldFailWith(TestInputs.Web() with { Family = family }, "CSDK1013");

    [Theory]
    [InlineData("app")]
    [InlineData("/app/../etc")]
    [InlineData("/my app")]
    [InlineData("/app$HOME")]
    public void Invalid_working_directory_is_an_error(string dir) => ShouldFailWith(TestInputs.Web() with { WorkingDirectory = dir }, "CSDK1011");

    [Theory]
    [InlineData("1BAD")]
    [InlineData("A-B")]
    [InlineData("A B")]
    [InlineData("")]
    public void Invalid_environment_names_are_errors(string name) =>
        ShouldFailWith(TestInputs.Web() with { EnvironmentVariables = [new NameValue(name, "x")] }, "CSDK1007");

    [Theory]
    [InlineData("bad label")]
    [InlineData(".starts-with-dot")]
    [InlineData("a\nb")]
    public void Invalid_label_names_are_errors(string name) =>
        ShouldFailWith(TestInputs.Web() with { Labels = [new NameValue(name, "x")] }, "CSDK1010");

    [Fact]
    public void Overlong_values_are_errors() =>
        ShouldFailWith(TestInputs.Web() with { Labels = [new NameValue("a", new string('x', 5000))] }, "CSDK1009");

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    public void Invalid_booleans_are_errors(string value) => ShouldFailWith(TestInputs.Web() with { AllowRootUser = value }, "CSDK1016");

    [Fact]
    public void Project_outside_the_context_is_an_error() =>
        ShouldFailWith(TestInputs.Web() with { ContextDirectory = TestInputs.P("src/Other") }, "CSDK1015");

    [Theory]
    [InlineData("src/App/we\"ird/App.csproj")]
    [InlineData("src/App/$HOME/App.csproj")]
    [InlineData("src/App/a`id`/App.csproj")]
    public void Unsafe_paths_are_errors(string path) =>
        ShouldFailWith(TestInputs.Web() with { ProjectPath = TestInputs.P(path), RestoreInputs = [] }, "CSDK1014");

    [Fact]
    public void Floating_tags_warn_only_in_release_and_pinned_images_do_not()
    {
        Generate(TestInputs.Web()).Diagnostics.ShouldBeEmpty();
        var release = Generate(TestInputs.Web() with { WarnOnFloatingTags = true });
        release.Diagnostics.Select(d => d.Code).ShouldBe(["CSDK2003", "CSDK2003"]);
        release.Diagnostics[0].Message.ShouldContain("@sha256:");
        const string digest = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var pinned = Generate(TestInputs.Web() with
        {
            WarnOnFloatingTags = true,
            BaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled" + digest,
            SdkImage = "mcr.microsoft.com/dotnet/sdk:10.0" + digest,
        });
        pinned.Diagnostics.ShouldBeEmpty();
        pinned.Dockerfile!.ShouldContain("FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled" + digest + "\n");
    }

    [Fact]
    public void Every_error_message_says_what_to_change()
    {
        var result = Generate(TestInputs.Web() with { User = "root" });
        var error = result.Diagnostics.Single();
        error.Message.ShouldContain("ContainerAllowRootUser=true");
        error.HelpLink.ShouldEndWith("docs/diagnostics/CSDK1004.md");
        error.Severity.ShouldBe(DiagnosticSeverity.Error);
    }

    internal static ContainerInputs Gpu(string version = "1.31.0") => TestInputs.Web() with
    {
        ResolvedPackages =
        [
            new PackageInput("Microsoft.ML.OnnxRuntime.Gpu.Linux", version),
            new PackageInput("Microsoft.ML.OnnxRuntime.Managed", version),
        ],
    };
}
