using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class ConfigurationRulesTests
{
    [Theory]
    [InlineData(null, "Release", "")]
    [InlineData("", "Release", "")]
    [InlineData(" Debug ", "Debug", "")]
    [InlineData("Release_Gpu-1.0", "Release_Gpu-1.0", "")]
    [InlineData("Re lease", "Re lease", "CSDK1017")]
    [InlineData("Release;x", "Release;x", "CSDK1017")]
    [InlineData("$(Other)", "$(Other)", "CSDK1017")]
    public void Configuration(string? value, string expected, string codes)
    {
        var parsed = ConfigurationRules.Parse(value);
        parsed.Codes().ShouldBe(codes);
        parsed.Value.ShouldBe(expected);
    }
}
