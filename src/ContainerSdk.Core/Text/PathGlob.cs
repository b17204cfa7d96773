using System;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Text;

/// <summary>How a <see cref="PathGlob"/> differs between its two users.</summary>
[Flags]
public enum PathGlobOptions
{
    /// <summary>The pattern matches the whole path, case-sensitively (@(ContainerSecretsExclude) on Linux and macOS).</summary>
    None = 0,

    /// <summary>Letters match in any case (@(ContainerSecretsExclude) on Windows, whose file names are case-insensitive).</summary>
    IgnoreCase = 1,

    /// <summary>
    /// .dockerignore semantics: a trailing '/' of the pattern or the path is dropped, and a pattern that matches a
    /// folder also matches everything under it (BuildKit and buildah exclude a matched folder's contents).
    /// </summary>
    MatchFolderContents = 2,
}

/// <summary>
/// The one glob-to-regex translation, shared by the ignore file (<c>Generation.IgnoreFile</c>) and the publish-time
/// secret scan's excludes: paths use '/' (a '\' in the pattern is read as '/'); '*' is any run of characters within one
/// segment, '?' one character within a segment, '**' any number of segments ('**/' also none); everything else is
/// literal. The pattern is cleaned as Go's filepath.Clean does for BuildKit: no leading '/' or './'.
/// </summary>
public sealed class PathGlob
{
    private readonly Regex regex;
    private readonly bool folderContents;

    public PathGlob(string pattern, PathGlobOptions options = PathGlobOptions.None)
    {
        Pattern = pattern;
        folderContents = (options & PathGlobOptions.MatchFolderContents) != 0;
        var clean = pattern.Replace('\\', '/').TrimStart('/');
        while (clean.StartsWith("./", StringComparison.Ordinal))
        {
            clean = clean.Substring(2);
        }

        if (folderContents)
        {
            clean = clean.TrimEnd('/');
        }

        var text = "^" + ToRegex(clean) + (folderContents ? "(/.*)?$" : "$");
        regex = new Regex(text, RegexOptions.CultureInvariant | ((options & PathGlobOptions.IgnoreCase) != 0 ? RegexOptions.IgnoreCase : RegexOptions.None));
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>Whether a path relative to the glob's root, with '/' separators, matches.</summary>
    public bool IsMatch(string path) => regex.IsMatch(folderContents ? path.TrimEnd('/') : path);

    private static string ToRegex(string pattern)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                builder.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*')
            {
                builder.Append("[^/]*");
            }
            else if (c == '?')
            {
                builder.Append("[^/]");
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }

        return builder.ToString();
    }
}
