namespace ContainerSdk.Targets.Tests;

/// <summary>A multi-targeted project's outer build builds the image for ContainerTargetFramework.</summary>
public class MultiTargetingTests
{
    [Theory]
    [InlineData("net8.0;net9.0", "net8.0")]
    [InlineData(" net9.0 ; net8.0 ", "net9.0")]
    [InlineData(";net9.0;net8.0;", "net9.0")]
    [InlineData("net8.0", "net8.0")]
    public void The_outer_build_targets_the_first_framework(string targetFrameworks, string expected)
    {
        using var project = new SyntheticProject(entry: EntryPoint.MultiTargeting, targetFrameworks: targetFrameworks);
        var evaluated = project.Evaluate();

        evaluated.GetPropertyValue("_ContainerSdkIsOuterBuild").ShouldBe("true");
        evaluated.GetPropertyValue("ContainerTargetFramework").ShouldBe(expected);
    }

    [Fact]
    public void ContainerTargetFramework_set_by_the_project_is_kept()
    {
        using var project = new SyntheticProject(
            "<PropertyGroup><ContainerTargetFramework>net9.0</ContainerTargetFramework></PropertyGroup>",
            entry: EntryPoint.MultiTargeting,
            targetFrameworks: "net8.0;net9.0");

        project.Evaluate().GetPropertyValue("ContainerTargetFramework").ShouldBe("net9.0");
    }

    [Fact]
    public void An_inner_build_is_not_an_outer_build()
    {
        using var project = new SyntheticProject(
            targetFrameworks: "net8.0;net9.0",
            globalProperties: new Dictionary<string, string> { ["TargetFramework"] = "net9.0" });
        var evaluated = project.Evaluate();

        evaluated.GetPropertyValue("_ContainerSdkIsOuterBuild").ShouldBeEmpty();
        evaluated.GetPropertyValue("ContainerTargetFramework").ShouldBeEmpty();
    }

    [Fact]
    public void A_single_framework_project_is_not_an_outer_build()
    {
        using var project = new SyntheticProject();

        project.Evaluate().GetPropertyValue("_ContainerSdkIsOuterBuild").ShouldBeEmpty();
    }
}
