using System;
using System.Collections.Generic;
using System.Text;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Text;

/// <summary>
/// The one gate every project value passes before it can reach a Dockerfile. Control characters (CR, LF, NEL,
/// U+2028/2029, ...) are rejected because Dockerfile parsers disagree on which of them end a line; everything else
/// is quoted by <see cref="DockerfileText"/>.
/// </summary>
public static class ValueRules
{
    public const int MaxValueLength = 4096;

    public static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\uFEFF')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks a free-text value; adds CSDK1008/CSDK1009 and returns false when it cannot be rendered.</summary>
    public static bool CheckValue(string what, string value, List<ContainerDiagnostic> diagnostics, int maxLength = MaxValueLength)
    {
        if (HasControlCharacter(value))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1008", what));
            return false;
        }

        if (value.Length > maxLength)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1009", what, value.Length, maxLength));
            return false;
        }

        return true;
    }

    /// <summary>Paths go into COPY JSON arrays and double-quoted shell words: these characters would need escaping
    /// rules that differ between BuildKit, buildah and sh, so they are refused instead.</summary>
    public static bool IsSafePath(string path)
    {
        if (HasControlCharacter(path))
        {
            return false;
        }

        foreach (var c in path)
        {
            if (c is '"' or '\\' or '$' or '`')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Shortens a hostile value for a message without echoing control characters.</summary>
    public static string Printable(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            if (builder.Length >= 120)
            {
                builder.Append('…');
                break;
            }

            builder.Append(c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029' || (c >= 0x80 && c <= 0x9F)
                ? "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)
                : c.ToString());
        }

        return builder.ToString();
    }

    public static bool IsTrueFalse(string? value, bool defaultValue, out bool result)
    {
        result = defaultValue;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (string.Equals(value!.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            result = true;
            return true;
        }

        if (string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase))
        {
            result = false;
            return true;
        }

        return false;
    }
}
