using System;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Tasks;

/// <summary>ContainerSecretsExclude patterns, relative to the publish folder: *, ** and ? as in MSBuild globs.</summary>
internal sealed class SecretGlob
{
    private readonly Regex regex;

    public SecretGlob(string pattern)
    {
        Pattern = pattern;
        var p = pattern.Replace('\\', '/').TrimStart('/');
        if (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p.Substring(2);
        }

        var text = new StringBuilder("^");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                var slash = i + 2 < p.Length && p[i + 2] == '/';
                text.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                text.Append("[^/]*");
            }
            else if (c == '?')
            {
                text.Append("[^/]");
            }
            else
            {
                text.Append(Regex.Escape(c.ToString()));
            }
        }

        regex = new Regex(text.Append('$').ToString(), RegexOptions.CultureInvariant | (OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : RegexOptions.None));
    }

    public string Pattern { get; }

    public bool IsMatch(string relativePath) => regex.IsMatch(relativePath.Replace('\\', '/'));
}
