using System.Collections.Generic;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>A true/false property such as SelfContained or ContainerAllowRootUser (CSDK1016).</summary>
public static class FlagRules
{
    /// <returns>The flag; empty is <paramref name="defaultValue"/>, and so is anything else after its error.</returns>
    public static Parsed<bool> Parse(string property, string? value, bool defaultValue)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        if (ValueRules.IsTrueFalse(value, defaultValue, out var result))
        {
            return Parsed.Of(result, diagnostics);
        }

        diagnostics.Add(ContainerDiagnostic.Create("CSDK1016", property, ValueRules.Printable(value!)));
        return Parsed.Of(defaultValue, diagnostics);
    }
}
