using System;
using System.Collections.Generic;
using System.Text;

namespace ContainerSdk.Secrets;

/// <summary>
/// The false-positive filters (issue 3 §6): placeholders, documented examples, UUIDs, hashes, public material,
/// natural language, identifiers. Each is a pure function of a value so the corpus can measure it.
/// </summary>
public static partial class SecretValues
{
    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts.TryGetValue(c, out var n);
            counts[c] = n + 1;
        }

        double entropy = 0;
        foreach (var n in counts.Values)
        {
            var p = (double)n / value.Length;
            entropy -= p * Math.Log(p, 2);
        }

        return entropy;
    }

    /// <summary>How many of lower case, upper case, digits and other printable characters the value uses.</summary>
    public static int CharacterClasses(string value)
    {
        bool lower = false, upper = false, digit = false, other = false;
        foreach (var c in value)
        {
            if (c >= 'a' && c <= 'z') { lower = true; }
            else if (c >= 'A' && c <= 'Z') { upper = true; }
            else if (c >= '0' && c <= '9') { digit = true; }
            else { other = true; }
        }

        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }


    /// <summary>"xxxxxxxx", "00000000", "abababab", "abcdefgh12345678": too few distinct or too sequential to be random.</summary>
    public static bool IsLowDiversity(string value)
    {
        if (value.Length < 6)
        {
            return false;
        }

        var distinct = new HashSet<char>(value).Count;
        if (distinct <= 3 || (value.Length >= 16 && distinct <= 5))
        {
            return true;
        }

        var sequential = 0;
        for (var i = 1; i < value.Length; i++)
        {
            var d = value[i] - value[i - 1];
            if (d == 1 || d == 0)
            {
                sequential++;
            }
        }

        return sequential * 10 >= (value.Length - 1) * 6;
    }
}
