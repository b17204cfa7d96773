using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class EntrypointRulesTests
{
    [Theory]
    [InlineData("App", "/app", false, false, "dotnet /app/App.dll", "")]
    [InlineData("App", "/", false, false, "dotnet /App.dll", "")]
    [InlineData("App", "/srv", true, false, "/srv/App", "")]
    [InlineData("App", "/app", false, true, "/usr/share/dotnet/dotnet /app/App.dll", "")]
    [InlineData("", "/app", false, false, "dotnet /app/.dll", "CSDK1014")]
    [InlineData("a/b", "/app", false, false, "dotnet /app/a/b.dll", "CSDK1014")]
    [InlineData("a\"b", "/app", false, false, "dotnet /app/a\"b.dll", "CSDK1014")]
    public void Command(string assembly, string workdir, bool selfContained, bool copiesRuntime, string expected, string codes)
    {
        var parsed = EntrypointRules.Parse(assembly, [], [], workdir, selfContained, copiesRuntime);
        parsed.Codes().ShouldBe(codes);
        string.Join(" ", parsed.Value.Command).ShouldBe(expected);
    }

    [Theory]
    [InlineData("--port", "--port", "")]
    [InlineData("two words", "two words", "")]
    [InlineData("bad\nline", "", "CSDK1008")]
    public void Arguments(string arg, string kept, string codes)
    {
        var parsed = EntrypointRules.Parse("App", [arg], [arg], "/app", false, false);
        parsed.Codes().ShouldBe(codes.Length == 0 ? "" : codes + "," + codes);
        parsed.Value.Full.ShouldBe(kept.Length == 0 ? ["dotnet", "/app/App.dll"] : ["dotnet", "/app/App.dll", kept]);
        parsed.Value.DefaultArgs.ShouldBe(kept.Length == 0 ? [] : [kept]);
        parsed.Value.Command.ShouldBe(["dotnet", "/app/App.dll"]);
    }
}
