using ContainerSdk.Text;

namespace ContainerSdk.Core.Tests;

/// <summary>The one glob translation, in both of its uses: .dockerignore lines and @(ContainerSecretsExclude).</summary>
public class PathGlobTests
{
    [Theory]
    [InlineData("**/bin", "bin", true)]
    [InlineData("**/bin", "src/bin", true)]
    [InlineData("**/bin", "src/bin/Debug/app.dll", true)]
    [InlineData("**/bin", "src/binary.txt", false)]
    [InlineData("bin/", "bin/x", true)]
    [InlineData("/obj", "obj/project.assets.json", true)]
    [InlineData("./././.git", ".git/config", true)]
    [InlineData("**/*.pfx", "certs/site.pfx", true)]
    [InlineData("**/*.pfx", "certs/site.PFX", false)]
    [InlineData("*.key", "certs/private.key", false)]
    [InlineData("**/.env*", "config/.env.production", true)]
    [InlineData("id_rsa?", "id_rsa1", true)]
    [InlineData("id_rsa?", "id_rsa/x", false)]
    [InlineData("src\\bin", "src/bin", true)]
    [InlineData("src/bin", "src/bin/", true)]
    public void Ignore_file_patterns_match_a_folder_and_everything_under_it(string pattern, string path, bool match) =>
        new PathGlob(pattern, PathGlobOptions.MatchFolderContents).IsMatch(path).ShouldBe(match);

    [Theory]
    [InlineData("docs/**", "docs/readme.txt", true)]
    [InlineData("docs/**", "docs/a/b.txt", true)]
    [InlineData("docs/*", "docs/a/b.txt", false)]
    [InlineData("docs", "docs/readme.txt", false)]
    [InlineData("**/*.map", "wwwroot/js/site.js.map", true)]
    [InlineData("**/*.map", "site.js.map", true)]
    [InlineData("./appsettings.*.json", "appsettings.Development.json", true)]
    [InlineData("/appsettings.?.json", "appsettings.x.json", true)]
    [InlineData("a+b(c).txt", "a+b(c).txt", true)]
    [InlineData("logs/", "logs/x.txt", false)]
    public void Secret_excludes_match_the_whole_path(string pattern, string path, bool match) =>
        new PathGlob(pattern).IsMatch(path).ShouldBe(match);

    [Theory]
    [InlineData(PathGlobOptions.None, false)]
    [InlineData(PathGlobOptions.IgnoreCase, true)]
    public void Case_is_an_option(PathGlobOptions options, bool match) =>
        new PathGlob("**/*.PDB", options).IsMatch("x/App.pdb").ShouldBe(match);
}
