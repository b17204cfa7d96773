namespace ContainerSdk.Targets.Tests;

/// <summary>The CustomBefore/After hooks and UsingContainerSdk, for every way a project gets the targets.</summary>
public class HookTests
{
    public static TheoryData<EntryPoint> EntryPoints => new() { EntryPoint.PackageReference, EntryPoint.Sdk, EntryPoint.MultiTargeting };

    /// <summary>Each hook file records what it saw, which shows it was imported and where: the props hooks around
    /// UsingContainerSdk, the targets hooks around the targets' defaults (ContainerUser).</summary>
    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void Each_hook_file_is_imported_in_its_place(EntryPoint entry)
    {
        using var project = new SyntheticProject(
            entry: entry,
            targetFrameworks: entry == EntryPoint.MultiTargeting ? "net8.0;net9.0" : null,
            beforeProps: """
                <CustomBeforeContainerSdkProps>$(MSBuildProjectDirectory)/before.props</CustomBeforeContainerSdkProps>
                <CustomAfterContainerSdkProps>$(MSBuildProjectDirectory)/after.props</CustomAfterContainerSdkProps>
                <CustomBeforeContainerSdkTargets>$(MSBuildProjectDirectory)/before.targets</CustomBeforeContainerSdkTargets>
                <CustomAfterContainerSdkTargets>$(MSBuildProjectDirectory)/after.targets</CustomAfterContainerSdkTargets>
                """);
        project.WriteFile("before.props", Recorder("BeforeProps", "UsingContainerSdk"));
        project.WriteFile("after.props", Recorder("AfterProps", "UsingContainerSdk"));
        project.WriteFile("before.targets", Recorder("BeforeTargets", "ContainerUser"));
        project.WriteFile("after.targets", Recorder("AfterTargets", "ContainerUser"));
        var evaluated = project.Evaluate();

        evaluated.GetPropertyValue("UsingContainerSdk").ShouldBe("true");
        evaluated.GetPropertyValue("HookBeforeProps").ShouldBe("seen:");
        evaluated.GetPropertyValue("HookAfterProps").ShouldBe("seen:true");
        evaluated.GetPropertyValue("HookBeforeTargets").ShouldBe("seen:");
        evaluated.GetPropertyValue("HookAfterTargets").ShouldBe("seen:" + ContainerDefaults.User);
        evaluated.Imports.Select(i => Path.GetFileName(i.ImportedProject.FullPath))
            .Where(f => f.StartsWith("before.") || f.StartsWith("after."))
            .ShouldBe(["before.props", "after.props", "before.targets", "after.targets"]);
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void Without_hooks_UsingContainerSdk_is_true_and_nothing_else_is_imported(EntryPoint entry)
    {
        using var project = new SyntheticProject(
            entry: entry,
            beforeProps: "<CustomAfterContainerSdkTargets>$(MSBuildProjectDirectory)/missing.targets</CustomAfterContainerSdkTargets>");
        var evaluated = project.Evaluate();

        evaluated.GetPropertyValue("UsingContainerSdk").ShouldBe("true");
        evaluated.Imports.ShouldAllBe(i => i.ImportedProject.FullPath.StartsWith(SyntheticProject.RepositoryRoot));
    }

    private static string Recorder(string hook, string property) => $"""
        <Project>
          <PropertyGroup><Hook{hook}>seen:$({property})</Hook{hook}></PropertyGroup>
        </Project>
        """;
}
