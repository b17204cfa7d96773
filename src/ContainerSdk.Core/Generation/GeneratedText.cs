using System;
using System.Collections.Generic;
using System.Linq;

namespace ContainerSdk.Generation;

public enum GeneratedFileState
{
    /// <summary>Written by ContainerSdk and unchanged since: safe to replace.</summary>
    Unedited,

    /// <summary>Written by ContainerSdk, then edited by someone.</summary>
    Edited,

    /// <summary>Not written by ContainerSdk.</summary>
    Foreign,
}

/// <summary>
/// Seals generated text with a hash line so a later run can tell its own output from a hand edit. The hash covers
/// every line except the hash line itself.
/// </summary>
public static class GeneratedText
{
    public const string HashPrefix = "# content-sha256: ";

    public static string Seal(IReadOnlyList<string> header, string body)
    {
        var unsealed = string.Join("\n", header) + "\n" + body;
        return string.Join("\n", header) + "\n" + HashPrefix + Hash(unsealed) + "\n" + body;
    }

    public static GeneratedFileState Inspect(string existing)
    {
        var text = existing.Replace("\r\n", "\n");
        var lines = text.Split('\n').ToList();
        int index = lines.FindIndex(l => l.StartsWith(HashPrefix, StringComparison.Ordinal));
        if (index < 0 || index > 10)
        {
            return GeneratedFileState.Foreign;
        }

        var recorded = lines[index].Substring(HashPrefix.Length).Trim();
        lines.RemoveAt(index);
        return string.Equals(Hash(string.Join("\n", lines)), recorded, StringComparison.Ordinal)
            ? GeneratedFileState.Unedited
            : GeneratedFileState.Edited;
    }

    // The one SHA-256 hex helper in Core; it lives with the secret rules because the analyzer links that folder in.
    private static string Hash(string text) => Secrets.SecretValues.Sha256(text);
}
