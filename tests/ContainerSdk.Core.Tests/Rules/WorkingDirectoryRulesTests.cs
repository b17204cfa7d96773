using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class WorkingDirectoryRulesTests
{
    [Theory]
    [InlineData(null, "/app", "")]
    [InlineData(" ", "/app", "")]
    [InlineData("/srv/app/", "/srv/app", "")]
    [InlineData("/", "/", "")]
    [InlineData("/a.b/c-d_e", "/a.b/c-d_e", "")]
    [InlineData("app", "app", "CSDK1011")]
    [InlineData("/app/../etc", "/app/../etc", "CSDK1011")]
    [InlineData("/app/./x", "/app/./x", "CSDK1011")]
    [InlineData("/my app", "/my app", "CSDK1011")]
    [InlineData("/app;rm", "/app;rm", "CSDK1011")]
    [InlineData("C:\\app", "C:\\app", "CSDK1011")]
    public void Working_directory(string? value, string expected, string codes)
    {
        var parsed = WorkingDirectoryRules.Parse(value);
        parsed.Codes().ShouldBe(codes);
        parsed.Value.ShouldBe(expected);
    }

    [Fact]
    public void A_path_of_255_characters_is_the_longest()
    {
        WorkingDirectoryRules.Parse("/" + new string('a', 254)).Succeeded.ShouldBeTrue();
        WorkingDirectoryRules.Parse("/" + new string('a', 255)).Codes().ShouldBe("CSDK1011");
    }
}
