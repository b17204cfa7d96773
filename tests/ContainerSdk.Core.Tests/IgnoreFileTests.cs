using ContainerSdk.Generation;

namespace ContainerSdk.Core.Tests;

public class IgnoreFileTests
{
    [Theory]
    [InlineData("**/bin", "bin/Debug/app.dll", true)]
    [InlineData("**/bin", "src/App/bin/x", true)]
    [InlineData("**/bin", "src/binary.txt", false)]
    [InlineData("**/.env*", ".env", true)]
    [InlineData("**/.env*", "deploy/.env.production", true)]
    [InlineData("**/*.pem", "a/b/c/key.pem", true)]
    [InlineData("*.pem", "a/key.pem", false)]
    [InlineData("bin/", "bin/x", true)]
    [InlineData("/obj", "obj/x", true)]
    [InlineData("./obj", "obj/x", true)]
    [InlineData("src/?pp", "src/App", true)]
    [InlineData("**/appsettings.Development.json", "src/App/appsettings.Development.json", true)]
    [InlineData("**/appsettings.Development.json", "src/App/appsettings.json", false)]
    public void Matches_like_buildkit(string pattern, string path, bool excluded) =>
        IgnoreFile.IsExcluded(pattern, path).ShouldBe(excluded);

    [Fact]
    public void Last_matching_line_wins_and_bang_reincludes()
    {
        const string text = "**/*.key\n!src/App/Resources/signing.key\n# comment\n\n";
        IgnoreFile.IsExcluded(text, "src/App/Resources/signing.key").ShouldBeFalse();
        IgnoreFile.IsExcluded(text, "other.key").ShouldBeTrue();
    }

    [Fact]
    public void Generated_file_excludes_what_the_issue_requires_and_keeps_what_the_build_needs()
    {
        var result = DockerfileGenerator.Generate(GoldenDockerfileTests.Inputs("web", "cpu", "fdd", "graph", TestInputs.Context));
        var text = result.IgnoreFile!;
        IgnoreFile.MissingExclusions(text).ShouldBeEmpty();
        foreach (var path in new[] { ".git/HEAD", "src/App/bin/Release/x.dll", "src/App/obj/x", ".env", "x/.env.local", "a.pfx", "a.p12", "a.pem", "a.key", "id_rsa", "id_rsa.pub", "id_ed25519", "src/App/secrets.json", "src/App/appsettings.Development.json" })
        {
            IgnoreFile.IsExcluded(text, path).ShouldBeTrue(path);
        }

        foreach (var path in result.Spec!.RestoreInputs.Concat(["src/App/Program.cs", "src/App/Resources/signing.key", "artifacts/feed/x.nupkg", "src/App/appsettings.json"]))
        {
            IgnoreFile.IsExcluded(text, path).ShouldBeFalse(path);
        }

        text.ShouldContain("!src/App/Resources/signing.key");
        text.ShouldNotContain("!src/App/obj");
    }
}
