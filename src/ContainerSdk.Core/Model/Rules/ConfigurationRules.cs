using System.Collections.Generic;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>ContainerConfiguration: the configuration the image's publish uses, a plain name (CSDK1017).</summary>
public static class ConfigurationRules
{
    private static readonly Regex ConfigurationPattern = new("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant);

    /// <returns>The name; empty is <see cref="ContainerDefaults.Configuration"/>.</returns>
    public static Parsed<string> Parse(string? value)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        string configuration = string.IsNullOrWhiteSpace(value) ? ContainerDefaults.Configuration : value!.Trim();
        if (!ConfigurationPattern.IsMatch(configuration))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1017", ValueRules.Printable(configuration)));
        }

        return Parsed.Of(configuration, diagnostics);
    }
}
