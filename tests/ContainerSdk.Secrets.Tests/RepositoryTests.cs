using System.Runtime.CompilerServices;

namespace ContainerSdk.Secrets.Tests;

/// <summary>Dogfood: the repository itself (tests and corpus included) commits nothing our rules take for a secret.</summary>
public class RepositoryTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    [Fact]
    public void No_committed_file_holds_a_secret()
    {
        var root = RepoRoot();
        var skip = new[] { "/bin/", "/obj/", "/.git/", "/artifacts/", "/node_modules/" };
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => f.Replace('\\', '/'))
            .Where(f => !skip.Any(s => f.Contains(s, StringComparison.Ordinal)))
            .Where(f => new FileInfo(f).Length < (4 << 20) && !SecretFileNames.IsKnownBinary(Path.GetFileName(f)))
            .ToList();
        files.Count.ShouldBeGreaterThan(50);
        var findings = files
            .SelectMany(f => SecretScanner.Scan(File.ReadAllText(f), SecretSource.ForFile(f)).Select(m => $"{Path.GetRelativePath(root, f)}:{m.Line} {m.Rule.Id} {m.Hint}"))
            .ToList();
        findings.ShouldBeEmpty();
    }
}
