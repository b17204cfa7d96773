using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

internal static class RuleAssertions
{
    /// <summary>The codes a rule reported, joined by ',' ("" for none), so a row states them as one string.</summary>
    /// <summary>"NAME=value" as one name and value ("" for none), the shape a row states an item in.</summary>
    public static List<NameValue> Items(string item) =>
        item.Length == 0 ? [] : [new(item.Split('=')[0], item.Split('=', 2)[1])];

    public static string Codes<T>(this Parsed<T> parsed) => string.Join(",", parsed.Diagnostics.Select(d => d.Code));
}
