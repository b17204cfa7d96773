using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ContainerSdk.Model;
using ContainerSdk.Text;

namespace ContainerSdk.Generation;

/// <summary>
/// The .dockerignore ContainerSdk writes, and a matcher with the semantics BuildKit and buildah share
/// (Go filepath.Match per path, '**' for any number of folders, a match on a folder excludes its contents, the
/// last matching line wins, '!' re-includes).
/// </summary>
public static class IgnoreFile
{
    public static readonly IReadOnlyList<string> BuildOutput =
        ["**/bin", "**/obj", "**/.git", "**/.vs", "**/.vscode", "**/.idea", "**/*.user", "**/TestResults"];

    public static readonly IReadOnlyList<string> Secrets =
    [
        "**/.env*", "**/*.pfx", "**/*.p12", "**/*.pem", "**/*.key", "**/id_rsa*", "**/id_ecdsa*", "**/id_ed25519*",
        "**/secrets.json", "**/appsettings.Development.json", "**/.git-credentials", "**/.kube", "**/kubeconfig",
    ];

    /// <summary>One path per required pattern: a user's ignore file must exclude each of these.</summary>
    public static readonly IReadOnlyList<(string Sample, string Pattern)> RequiredExclusions =
    [
        ("src/bin/Debug/app.dll", "bin/"), ("src/obj/project.assets.json", "obj/"), (".git/config", ".git/"),
        (".env", ".env*"), ("config/.env.production", ".env*"), ("certs/site.pfx", "*.pfx"), ("certs/site.p12", "*.p12"),
        ("certs/key.pem", "*.pem"), ("certs/private.key", "*.key"), ("home/id_rsa", "id_rsa*"),
        ("src/secrets.json", "secrets.json"), ("src/appsettings.Development.json", "appsettings.Development.json"),
    ];

    public static string Render(ContainerSpec spec)
    {
        var body = new StringBuilder();
        body.Append("\n# Build output and tool state: the image build restores and publishes from sources.\n");
        foreach (var pattern in BuildOutput)
        {
            body.Append(pattern).Append('\n');
        }

        body.Append("# Secrets and machine-local settings: a file copied into a layer stays readable in the image.\n");
        foreach (var pattern in Secrets)
        {
            body.Append(pattern).Append('\n');
        }

        var patterns = BuildOutput.Concat(Secrets).Select(p => new Rule(p, false)).ToList();
        var keep = spec.KeepInContext.Where(path => IsExcluded(patterns, path.TrimEnd('/'))).ToList();
        if (keep.Count > 0)
        {
            body.Append("# Needed by the build although a pattern above matches them.\n");
            foreach (var path in keep)
            {
                body.Append('!').Append(path.TrimEnd('/')).Append('\n');
            }
        }

        return GeneratedText.Seal(DockerfileRenderer.Header(spec, null), body.ToString());
    }

    /// <summary>The required patterns a hand-written ignore file misses.</summary>
    public static IReadOnlyList<string> MissingExclusions(string ignoreFileText)
    {
        var rules = Parse(ignoreFileText);
        return RequiredExclusions.Where(r => !IsExcluded(rules, r.Sample)).Select(r => r.Pattern).Distinct().ToList();
    }

    public static bool IsExcluded(string ignoreFileText, string path) => IsExcluded(Parse(ignoreFileText), path);

    private static List<Rule> Parse(string text) =>
        text.Replace("\r\n", "\n").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[0] == '!' ? new Rule(l.Substring(1).Trim(), true) : new Rule(l, false))
            .Where(r => r.Pattern.Length > 0)
            .ToList();

    private static bool IsExcluded(IReadOnlyList<Rule> rules, string path)
    {
        bool excluded = false;
        foreach (var rule in rules)
        {
            if (rule.Matches(path))
            {
                excluded = !rule.Negated;
            }
        }

        return excluded;
    }

    private sealed class Rule(string pattern, bool negated)
    {
        private readonly PathGlob glob = new(pattern, PathGlobOptions.MatchFolderContents);

        public string Pattern { get; } = pattern;

        public bool Negated { get; } = negated;

        public bool Matches(string path) => glob.IsMatch(path);
    }
}
