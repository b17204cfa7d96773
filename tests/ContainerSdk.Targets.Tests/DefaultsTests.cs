namespace ContainerSdk.Targets.Tests;

/// <summary>The defaults the targets state agree with ContainerDefaults, the owner the tasks and the factory use.</summary>
public class DefaultsTests
{
    public static TheoryData<EntryPoint> EntryPoints => new() { EntryPoint.PackageReference, EntryPoint.Sdk };

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void Defaults_are_ContainerDefaults(EntryPoint entry)
    {
        using var project = new SyntheticProject(entry: entry);
        var evaluated = project.Evaluate();

        evaluated.GetPropertyValue("ContainerUser").ShouldBe(ContainerDefaults.User);
        evaluated.GetPropertyValue("ContainerWorkingDirectory").ShouldBe(ContainerDefaults.WorkingDirectory);
        evaluated.GetPropertyValue("ContainerConfiguration").ShouldBe(ContainerDefaults.Configuration);
        evaluated.GetPropertyValue("ContainerAccelerator").ShouldBe(ContainerDefaults.Accelerator);
        evaluated.GetPropertyValue("GenerateDockerfile").ShouldBe("true");
        evaluated.GetPropertyValue("ContainerAllowRootUser").ShouldBe("false");
        evaluated.GetPropertyValue("ContainerDockerfileOverwrite").ShouldBe("false");
        evaluated.GetPropertyValue("ContainerDockerfile").ShouldBe(project.Directory + "/Dockerfile");
        evaluated.GetPropertyValue("ContainerTitle").ShouldBe("App");
        evaluated.GetPropertyValue("ContainerModelBindings").ShouldBe("true");
        evaluated.GetPropertyValue("ContainerKubernetesKind").ShouldBe("Deployment");
        evaluated.GetPropertyValue("ContainerKubernetesManifest").ShouldBe(project.Directory + "/kubernetes.yaml");
        evaluated.GetPropertyValue("ContainerSdkTasksAssembly").ShouldBe(SyntheticProject.TasksAssembly);
        evaluated.GetPropertyValue("_ContainerSdkIsSelfContained").ShouldBe("false");
    }

    [Fact]
    public void Values_the_project_sets_win_over_the_defaults()
    {
        using var project = new SyntheticProject("""
            <PropertyGroup>
              <ContainerUser>1000</ContainerUser>
              <ContainerWorkingDirectory>/srv</ContainerWorkingDirectory>
              <ContainerConfiguration>Debug</ContainerConfiguration>
              <ContainerAccelerator>cpu</ContainerAccelerator>
              <Title>My app</Title>
              <SelfContained>true</SelfContained>
            </PropertyGroup>
            """);
        var evaluated = project.Evaluate();

        evaluated.GetPropertyValue("ContainerUser").ShouldBe("1000");
        evaluated.GetPropertyValue("ContainerWorkingDirectory").ShouldBe("/srv");
        evaluated.GetPropertyValue("ContainerConfiguration").ShouldBe("Debug");
        evaluated.GetPropertyValue("ContainerAccelerator").ShouldBe("cpu");
        evaluated.GetPropertyValue("ContainerTitle").ShouldBe("My app");
        evaluated.GetPropertyValue("_ContainerSdkIsSelfContained").ShouldBe("true");
    }

    [Theory]
    [InlineData("", ContainerDefaults.ModelDirectory + "/model.onnx")]
    [InlineData("/models/", "/models/model.onnx")]
    public void An_onnx_model_is_placed_in_the_model_directory(string modelDirectory, string containerPath)
    {
        using var project = new SyntheticProject($"""
            <PropertyGroup><ContainerModelDirectory>{modelDirectory}</ContainerModelDirectory></PropertyGroup>
            <ItemGroup><ContainerModel Include="model.onnx" /></ItemGroup>
            """);
        var run = project.Run("_ContainerSdkCollectOnnxModels");

        run.Succeeded.ShouldBeTrue(run.Log.ToString());
        var model = run.Items("_ContainerSdkOnnxModel").ShouldHaveSingleItem();
        model.GetMetadataValue("ContainerSdkModelContainerPath").ShouldBe(containerPath);
        model.GetMetadataValue("ContainerSdkModelLocalPath").ShouldBe("model.onnx");
        model.GetMetadataValue("SignatureFile").ShouldBe(Path.Combine(project.Directory, "obj/Debug/net8.0/containersdk/models/model.onnx.signature"));
    }
}
