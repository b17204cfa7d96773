namespace ContainerSdk.Targets.Tests;

/// <summary>How the targets hang together: the publish hook, what GenerateDockerfile depends on, the obj/ files they
/// record, and that every private name is in ContainerSdk's own namespace.</summary>
public class TargetWiringTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void GenerateDockerfile_runs_after_Publish_unless_turned_off(string? generateDockerfile, bool hooked)
    {
        using var project = new SyntheticProject(globalProperties: generateDockerfile is null
            ? null
            : new Dictionary<string, string> { ["GenerateDockerfile"] = generateDockerfile });
        var instance = project.Evaluate().CreateProjectInstance();

        var hook = instance.Targets["_ContainerSdkGenerateDockerfileOnPublish"];
        hook.AfterTargets.ShouldBe("Publish");
        hook.DependsOnTargets.ShouldBe("GenerateDockerfile");
        instance.EvaluateCondition(hook.Condition).ShouldBe(hooked);
    }

    [Fact]
    public void Publish_with_GenerateDockerfile_false_does_not_generate()
    {
        using var project = new SyntheticProject("<PropertyGroup><GenerateDockerfile>false</GenerateDockerfile></PropertyGroup>");
        var run = project.Run("Publish");

        run.Succeeded.ShouldBeTrue(run.Log.ToString());
        run.Log.StartedTargets.ShouldContain("Publish");
        run.Log.StartedTargets.ShouldNotContain("_ContainerSdkGenerateDockerfileOnPublish");
        run.Log.StartedTargets.ShouldNotContain("GenerateDockerfile");
        File.Exists(Path.Combine(project.Directory, "Dockerfile")).ShouldBeFalse();
    }

    [Fact]
    public void GenerateDockerfile_depends_on_the_computed_inputs_and_the_ONNX_Runtime_check()
    {
        using var project = new SyntheticProject();
        var instance = project.Evaluate().CreateProjectInstance();

        instance.GetPropertyValue("GenerateDockerfileDependsOn").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe(["_ContainerSdkCheckOnnxRuntimePackaging", "_ContainerSdkComputeInputs"]);
        instance.Targets["GenerateDockerfile"].DependsOnTargets.ShouldContain("$(GenerateDockerfileDependsOn)");
    }

    [Fact]
    public void BuildContainerImage_runs_its_own_dependencies_then_the_project_s()
    {
        using var project = new SyntheticProject("""
            <PropertyGroup><BuildContainerImageDependsOn>MyLogin</BuildContainerImageDependsOn></PropertyGroup>
            """);
        var instance = project.Evaluate().CreateProjectInstance();

        instance.GetPropertyValue("BuildContainerImageDependsOn").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe(["_ContainerSdkRequireCoreMSBuild", "_ContainerSdkComputeInputs", "_ContainerSdkGenerateForImage", "_ContainerSdkPrepareImageBuild", "MyLogin"]);
        instance.Targets["BuildContainerImage"].DependsOnTargets.ShouldBe("$(BuildContainerImageDependsOn)");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_restore_inputs_cache_under_obj_is_a_FileWrites_item_once_it_exists(bool exists)
    {
        using var project = new SyntheticProject("<Target Name=\"IncrementalClean\" />");
        var cache = Path.Combine(project.Directory, "obj/Debug/net8.0/ContainerSdk.restore-inputs.cache");
        if (exists)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
            File.WriteAllText(cache, "{}");
        }

        var run = project.Run("IncrementalClean");

        run.Succeeded.ShouldBeTrue(run.Log.ToString());
        run.Log.StartedTargets.ShouldContain("_ContainerSdkRecordFileWrites");
        run.Items("FileWrites").Select(i => i.GetMetadataValue("FullPath")).ShouldBe(exists ? [cache] : []);
    }

    /// <summary>The .NET SDK's container targets own `_Container*`; ContainerSdk's private names are `_ContainerSdk*`,
    /// both at evaluation and once the targets that compute state have run.</summary>
    [Fact]
    public void Every_private_name_is_a_ContainerSdk_name()
    {
        using var project = new SyntheticProject("""
            <ItemGroup>
              <FrameworkReference Include="Microsoft.AspNetCore.App" />
              <ContainerModel Include="model.onnx" />
              <Compile Include="Program.cs" />
            </ItemGroup>
            """);
        var evaluated = project.Evaluate();
        var run = project.Run("_ContainerSdkComputeInputs", "_ContainerSdkCollectOnnxModels");
        run.Succeeded.ShouldBeTrue(run.Log.ToString());

        var names = evaluated.AllEvaluatedProperties.Select(p => p.Name)
            .Concat(evaluated.ItemTypes)
            .Concat(evaluated.AllEvaluatedItemDefinitionMetadata.Select(m => m.Name))
            .Concat(run.Instance.Properties.Select(p => p.Name))
            .Concat(run.Instance.ItemTypes)
            .Concat(run.Instance.Items.SelectMany(i => i.MetadataNames.Cast<string>()))
            .Concat(run.Instance.Targets.Keys)
            .Distinct()
            .ToList();

        names.ShouldContain("_ContainerSdkIsWeb");
        names.ShouldContain("_ContainerSdkOnnxModel");
        names.Where(n => n.StartsWith("_Container", StringComparison.OrdinalIgnoreCase)
                && !n.StartsWith("_ContainerSdk", StringComparison.OrdinalIgnoreCase))
            .ShouldBeEmpty();
    }
}
