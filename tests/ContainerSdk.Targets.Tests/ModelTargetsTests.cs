namespace ContainerSdk.Targets.Tests;

/// <summary>The model targets run the tasks of this build (ContainerSdkTasksAssembly) on a real ONNX model.</summary>
public class ModelTargetsTests
{
    private static readonly string SampleModel = Path.Combine(SyntheticProject.RepositoryRoot, "samples/CpuInference/models/model.onnx");

    [Theory]
    [InlineData("true", new[] { "App.dll" })]
    [InlineData("false", new[] { "App.dll", "model.onnx" })]
    public void The_images_publish_leaves_models_out_of_the_app_layer(string excludeModels, string[] published)
    {
        using var project = new SyntheticProject($"""
            <PropertyGroup><ContainerSdkExcludeModels>{excludeModels}</ContainerSdkExcludeModels></PropertyGroup>
            <ItemGroup>
              <ContainerModel Include="model.onnx" />
              <ResolvedFileToPublish Include="App.dll;model.onnx" />
            </ItemGroup>
            <Target Name="ComputeResolvedFilesToPublishList" />
            """);
        File.Copy(SampleModel, Path.Combine(project.Directory, "model.onnx"));

        var run = project.Run("ComputeResolvedFilesToPublishList");

        run.Succeeded.ShouldBeTrue(run.Log.ToString());
        run.Items("ResolvedFileToPublish").Select(i => i.EvaluatedInclude).ShouldBe(published);
        if (excludeModels == "true")
        {
            run.Log.StartedTasks.ShouldContain("GetOnnxExternalData");
        }
    }

    [Fact]
    public void Signatures_are_written_under_obj_once_recorded_as_FileWrites_and_not_read_again_when_up_to_date()
    {
        using var project = new SyntheticProject("<ItemGroup><ContainerModel Include=\"model.onnx\" /></ItemGroup>");
        File.Copy(SampleModel, Path.Combine(project.Directory, "model.onnx"));
        var signature = Path.Combine(project.Directory, "obj/Debug/net8.0/containersdk/models/model.onnx.signature");

        var first = project.Run("_ContainerSdkAddModelSignatures");
        var second = project.Run("_ContainerSdkAddModelSignatures");

        first.Succeeded.ShouldBeTrue(first.Log.ToString());
        first.Log.StartedTasks.ShouldContain("ReadOnnxModelSignatures");
        File.Exists(signature).ShouldBeTrue();
        second.Succeeded.ShouldBeTrue(second.Log.ToString());
        second.Log.StartedTasks.ShouldNotContain("ReadOnnxModelSignatures");
        foreach (var run in new[] { first, second })
        {
            run.Items("AdditionalFiles").Select(i => i.GetMetadataValue("FullPath")).ShouldBe([signature]);
            run.Items("FileWrites").Select(i => i.GetMetadataValue("FullPath")).ShouldBe([signature]);
        }
    }
}
