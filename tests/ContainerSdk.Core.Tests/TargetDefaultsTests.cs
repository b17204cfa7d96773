using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace ContainerSdk.Core.Tests;

/// <summary>Defaults the targets must state themselves (MSBuild cannot read a C# constant, and some are needed before
/// any task runs) agree with <see cref="ContainerDefaults"/>, the one the Dockerfile generation uses: a generated
/// binding looks for its model where the Dockerfile puts it, and an empty property means the same in both.</summary>
public class TargetDefaultsTests
{
    private static string RepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    /// <summary>Every property element of sdk/build/*.targets and *.props.</summary>
    private static List<XElement> Properties() =>
        Directory.GetFiles(Path.Combine(RepoRoot(), "sdk", "build"))
            .Where(f => f.EndsWith(".targets", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal))
            .SelectMany(f => XDocument.Load(f).Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup"))
            .ToList();

    private static bool DefaultsWhenEmpty(XElement property, string name) =>
        property.Name.LocalName == name
        && (string?)property.Attribute("Condition") is { } condition
        && condition.Replace(" ", "") == $"'$({name})'==''";

    /// <summary>The value <c>&lt;P Condition="'$(P)' == ''"&gt;value&lt;/P&gt;</c> gives <paramref name="property"/>,
    /// directly or through a private copy (<c>&lt;_Copy&gt;$(P)&lt;/_Copy&gt;</c> and the same condition on the copy).</summary>
    private static List<string> StatedDefaults(string property)
    {
        var all = Properties();
        var names = all.Where(p => p.Value.Trim() == $"$({property})").Select(p => p.Name.LocalName).Append(property).Distinct().ToList();
        return all.Where(p => names.Any(n => DefaultsWhenEmpty(p, n))).Select(p => p.Value.Trim()).Distinct().ToList();
    }

    [Theory]
    [InlineData("ContainerUser", ContainerDefaults.User)]
    [InlineData("ContainerWorkingDirectory", ContainerDefaults.WorkingDirectory)]
    [InlineData("ContainerConfiguration", ContainerDefaults.Configuration)]
    [InlineData("ContainerAccelerator", ContainerDefaults.Accelerator)]
    [InlineData("ContainerModelDirectory", ContainerDefaults.ModelDirectory)]
    public void The_targets_default_is_ContainerDefaults(string property, string expected) =>
        StatedDefaults(property).ShouldBe([expected], $"the default sdk/build states for {property}");

    [Fact]
    public void A_property_the_targets_do_not_default_is_found_empty() =>
        StatedDefaults("ContainerNoSuchProperty").ShouldBeEmpty();
}
