using ContainerSdk.Images;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class FrameworkRulesTests
{
    [Theory]
    [InlineData(".NETCoreApp", "v10.0", 10, "")]
    [InlineData(".NETCoreApp", "v8.0", 8, "")]
    [InlineData(".NETCoreApp", "10", 10, "")]
    [InlineData(".NETCoreApp", "v11.0", 11, "")]
    [InlineData(".NETCoreApp", "v3.1", 3, "")]
    [InlineData(".NETCoreApp", "v5.0", 5, "")]
    [InlineData(".NETCoreApp", "v3.0", 0, "CSDK1012")]
    [InlineData(".NETCoreApp", "v2.1", 0, "CSDK1012")]
    [InlineData(".NETFramework", "v4.8", 0, "CSDK1012")]
    [InlineData(".NETCoreApp", "", 0, "CSDK1012")]
    [InlineData(".NETCoreApp", null, 0, "CSDK1012")]
    public void Target(string identifier, string? version, int major, string codes)
    {
        var parsed = FrameworkRules.ParseTarget(identifier, version, BaseImageCatalog.Default);
        parsed.Codes().ShouldBe(codes);
        parsed.Value.ShouldBe(major);
    }

    [Theory]
    [InlineData(10, "")]
    [InlineData(8, "CSDK2011")]
    [InlineData(6, "CSDK2011")]
    [InlineData(5, "CSDK2020")]
    [InlineData(3, "CSDK2020")]
    [InlineData(11, "")]
    [InlineData(0, "")]
    public void Support(int major, string codes)
    {
        var parsed = FrameworkRules.CheckSupport(major, "aspnet", BaseImageCatalog.Default);
        parsed.Codes().ShouldBe(codes);
        parsed.Diagnostics.ShouldAllBe(d => !d.IsError);
        (parsed.Value?.Major).ShouldBe(major is 11 or 0 ? null : major);
    }

    [Fact]
    public void A_legacy_release_names_its_last_image() =>
        FrameworkRules.CheckSupport(3, "runtime-deps", BaseImageCatalog.Default).Diagnostics.Single().Message.ShouldContain("mcr.microsoft.com/dotnet/runtime-deps:3.1");

    [Theory]
    [InlineData(null, null, "")]
    [InlineData(" ", null, "")]
    [InlineData("net10.0", "net10.0", "")]
    [InlineData(" netcoreapp3.1 ", "netcoreapp3.1", "")]
    [InlineData("net10.0-windows10.0.19041", "net10.0-windows10.0.19041", "")]
    [InlineData("net10", "net10", "CSDK1012")]
    [InlineData("net10.0;net9.0", "net10.0;net9.0", "CSDK1012")]
    [InlineData("NET10.0", "NET10.0", "CSDK1012")]
    public void Publish_framework(string? value, string? expected, string codes)
    {
        var parsed = FrameworkRules.ParsePublishFramework(value);
        parsed.Codes().ShouldBe(codes);
        parsed.Value.ShouldBe(expected);
    }
}
