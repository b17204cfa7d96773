using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

internal static class RuleAssertions
{
    /// <summary>The codes a rule reported, joined by ',' ("" for none), so a row states them as one string.</summary>
    public static string Codes<T>(this Parsed<T> parsed) => string.Join(",", parsed.Diagnostics.Select(d => d.Code));
}
