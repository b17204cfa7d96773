using System;
using System.Collections.Generic;
using System.Text;

namespace ContainerSdk.Secrets;

/// <summary>
/// The baseline file: accepted findings as fingerprints, one per line, "CODE FINGERPRINT  # where". Only the
/// fingerprint is matched; the code and the comment are for the human reviewing the diff. Text in, text out: the
/// callers do the I/O (the analyzer cannot touch the file system).
/// </summary>
public sealed class SecretBaseline
{
    public const string Header =
        "# ContainerSdk secrets baseline: accepted findings, one per line as CODE FINGERPRINT. Fingerprints are one-way hashes, never the secret.\n" +
        "# Regenerate: dotnet build -t:WriteContainerSecretsBaseline   Docs: docs/diagnostics/CSDK3001.md";

    private readonly HashSet<string> fingerprints;

    private SecretBaseline(HashSet<string> fingerprints) => this.fingerprints = fingerprints;

    public static SecretBaseline Empty { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public int Count => fingerprints.Count;

    public bool Contains(SecretMatch match) => fingerprints.Count > 0 && fingerprints.Contains(match.Fingerprint);

    public bool Contains(string fingerprint) => fingerprints.Contains(fingerprint);

    /// <summary>Reads the lines it understands; <paramref name="errors"/> gets the line numbers it did not.</summary>
    public static SecretBaseline Parse(string text, out IReadOnlyList<int> errors)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var bad = new List<int>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line.Substring(0, hash).Trim();
            }

            if (line.Length == 0)
            {
                continue;
            }

            string? found = null;
            foreach (var part in line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith(SecretFingerprint.Prefix, StringComparison.Ordinal) && part.Length == SecretFingerprint.Prefix.Length + 32)
                {
                    found = part;
                }
            }

            if (found is null)
            {
                bad.Add(i + 1);
            }
            else
            {
                set.Add(found);
            }
        }

        errors = bad;
        return new SecretBaseline(set);
    }

    /// <summary>Writes entries sorted and de-duplicated so the file diffs cleanly.</summary>
    public static string Format(IEnumerable<(string RuleId, string Fingerprint, string Where)> entries)
    {
        var unique = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (ruleId, fingerprint, where) in entries)
        {
            var key = ruleId + " " + fingerprint;
            if (!unique.ContainsKey(key))
            {
                unique[key] = where;
            }
        }

        var text = new StringBuilder(Header).Append('\n');
        foreach (var pair in unique)
        {
            text.Append(pair.Key);
            if (pair.Value.Length > 0)
            {
                text.Append("  # ").Append(pair.Value.Replace('\n', ' ').Replace('#', ' '));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
