using System;
using System.Collections.Generic;
using System.Globalization;
using System.Resources;

namespace ContainerSdk.Diagnostics;

/// <summary>
/// The diagnostics catalog, Strings.resx. A code's entry reads "error CSDKnnnn: text" or "warning CSDKnnnn: text",
/// MSBuild's own canonical form: the default severity is declared there and nowhere else. Entries named
/// "CSDKnnnn.Part" are pieces of that code's message (no severity of their own).
/// </summary>
public static class Messages
{
    private static readonly ResourceManager Resources =
        new("ContainerSdk.Diagnostics.Strings", typeof(Messages).Assembly);

    /// <summary>One code's catalog entry: its default severity and its message format (without the code prefix).</summary>
    public readonly record struct CatalogEntry(DiagnosticSeverity Severity, string Format);

    /// <summary>The raw catalog text of <paramref name="name"/> (a code or a "CSDKnnnn.Part").</summary>
    public static string Get(string name) =>
        Resources.GetString(name, CultureInfo.InvariantCulture)
        ?? throw new InvalidOperationException($"No message for diagnostic {name}.");

    public static CatalogEntry Entry(string code) => Parse(code, Get(code));

    /// <summary>The text of a code, a code's variant ("CSDK5013.Config") or a part ("CSDK5013.Deleted") without the
    /// severity word: "CSDKnnnn: text" for the first two (where the severity is the caller's, as for a verifier
    /// finding), a part's text as it is.</summary>
    public static string WithoutSeverity(string name)
    {
        var text = Get(name);
        var code = name.Split('.')[0];
        foreach (var (word, _) in SeverityWords)
        {
            if (text.StartsWith(word + code + ": ", StringComparison.Ordinal))
            {
                return text.Substring(word.Length);
            }
        }

        return text;
    }

    public static DiagnosticSeverity DefaultSeverity(string code) => Entry(code).Severity;

    /// <summary>Every code in the catalog (not the "CSDKnnnn.Part" pieces), for the uniqueness and documentation tests.</summary>
    public static IEnumerable<string> AllCodes()
    {
        var set = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!;
        foreach (System.Collections.DictionaryEntry entry in set)
        {
            var name = (string)entry.Key;
            if (name.IndexOf('.') < 0)
            {
                yield return name;
            }
        }
    }

    private static readonly (string Word, DiagnosticSeverity Severity)[] SeverityWords =
        [("error ", DiagnosticSeverity.Error), ("warning ", DiagnosticSeverity.Warning)];

    internal static CatalogEntry Parse(string code, string text)
    {
        foreach (var (word, severity) in SeverityWords)
        {
            var prefix = word + code + ": ";
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new CatalogEntry(severity, text.Substring(prefix.Length));
            }
        }

        throw new InvalidOperationException($"The catalog entry of {code} must start with \"error {code}: \" or \"warning {code}: \".");
    }
}
