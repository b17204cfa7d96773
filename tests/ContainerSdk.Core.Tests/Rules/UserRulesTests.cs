using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class UserRulesTests
{
    [Theory]
    [InlineData(null, false, "1654:1654", "")]
    [InlineData("  ", false, "1654:1654", "")]
    [InlineData("1000", false, "1000:1000", "")]
    [InlineData(" 1000:2000 ", false, "1000:2000", "")]
    [InlineData("4294967295", false, "4294967295:4294967295", "")]
    [InlineData("0", false, "0:0", "CSDK1004")]
    [InlineData("0:0", false, "0:0", "CSDK1004")]
    [InlineData("root", false, "root", "CSDK1004")]
    [InlineData("root:root", false, "root:root", "CSDK1004")]
    [InlineData("root", true, "0:0", "")]
    [InlineData("root:5", true, "0:5", "")]
    [InlineData("0", true, "0:0", "")]
    [InlineData("app", false, "app", "CSDK1003")]
    [InlineData("-1", false, "-1", "CSDK1003")]
    [InlineData("4294967296", false, "4294967296", "CSDK1003")]
    [InlineData("1000:", false, "1000:", "CSDK1003")]
    [InlineData("1000:99999999999", false, "1000:99999999999", "CSDK1003")]
    public void User(string? value, bool allowRoot, string expected, string codes)
    {
        var parsed = UserRules.Parse(value, allowRoot);
        parsed.Codes().ShouldBe(codes);
        parsed.Value.ShouldBe(expected);
        parsed.Succeeded.ShouldBe(codes.Length == 0);
    }
}
