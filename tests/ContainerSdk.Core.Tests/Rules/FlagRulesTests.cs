using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class FlagRulesTests
{
    [Theory]
    [InlineData(null, false, false, "")]
    [InlineData("", true, true, "")]
    [InlineData("true", false, true, "")]
    [InlineData(" TRUE ", false, true, "")]
    [InlineData("False", true, false, "")]
    [InlineData("yes", false, false, "CSDK1016")]
    [InlineData("1", true, true, "CSDK1016")]
    public void Flag(string? value, bool defaultValue, bool expected, string codes)
    {
        var parsed = FlagRules.Parse("SelfContained", value, defaultValue);
        parsed.Codes().ShouldBe(codes);
        parsed.Value.ShouldBe(expected);
    }

    [Fact]
    public void The_message_names_the_property() =>
        FlagRules.Parse("ContainerAllowRootUser", "maybe", false).Diagnostics.Single().Message.ShouldContain("ContainerAllowRootUser");
}
