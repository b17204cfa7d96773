using System.Collections.Generic;
using System.Text;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Text;

/// <summary>
/// Standard project metadata (Description, Authors, Title) is prose written for NuGet, often over several lines and
/// long. As an image label it is one line: whitespace and control characters collapse to single spaces, and the
/// length is capped at what registries display (GHCR shows 512 characters of org.opencontainers.image.description).
/// </summary>
public static class LabelText
{
    public const int MaxLength = 512;

    public static string Normalize(string property, string label, string value, List<ContainerDiagnostic> diagnostics)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (c == '\uFEFF')
            {
                continue;
            }

            if (char.IsWhiteSpace(c) || ValueRules.HasControlCharacter(c.ToString()))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        var text = builder.ToString();
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var cut = MaxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        diagnostics.Add(ContainerDiagnostic.Create("CSDK2015", property, text.Length, label, MaxLength));
        return text.Substring(0, cut) + "…";
    }
}
