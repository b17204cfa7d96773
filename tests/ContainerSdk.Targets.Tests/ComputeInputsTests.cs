namespace ContainerSdk.Targets.Tests;

/// <summary>_ContainerSdkComputeInputs: what GenerateDockerfile (and the image and manifest targets) receive that only
/// exists once the build has run (source control information, FrameworkReference items).</summary>
public class ComputeInputsTests
{
    [Theory]
    [InlineData("", false)]
    [InlineData("<ItemGroup><FrameworkReference Include=\"Microsoft.AspNetCore.App\" /></ItemGroup>", true)]
    [InlineData("<ItemGroup><FrameworkReference Include=\"Microsoft.WindowsDesktop.App\" /></ItemGroup>", false)]
    [InlineData("<PropertyGroup><UsingMicrosoftNETSdkWeb>true</UsingMicrosoftNETSdkWeb></PropertyGroup>", true)]
    public void IsWeb_comes_from_the_Web_SDK_or_the_AspNetCore_framework_reference(string body, bool isWeb)
    {
        using var project = new SyntheticProject(body);

        Compute(project).Property("_ContainerSdkIsWeb").ShouldBe(isWeb ? "true" : "false");
    }

    /// <summary>ContainerSourceUrl, else SourceLink's PrivateRepositoryUrl (set by InitializeSourceControlInformation,
    /// stubbed here as SourceLink sets it), else RepositoryUrl.</summary>
    [Theory]
    [InlineData("https://explicit", "https://private", "https://repository", "https://explicit")]
    [InlineData("", "https://private", "https://repository", "https://private")]
    [InlineData("", "", "https://repository", "https://repository")]
    [InlineData("", "", "", "")]
    public void SourceUrl_falls_back_from_ContainerSourceUrl_to_SourceLink_to_RepositoryUrl(
        string containerSourceUrl, string privateRepositoryUrl, string repositoryUrl, string expected)
    {
        using var project = new SyntheticProject($"""
            <PropertyGroup>
              <ContainerSourceUrl>{containerSourceUrl}</ContainerSourceUrl>
              <RepositoryUrl>{repositoryUrl}</RepositoryUrl>
            </PropertyGroup>
            <Target Name="InitializeSourceControlInformation">
              <PropertyGroup><PrivateRepositoryUrl>{privateRepositoryUrl}</PrivateRepositoryUrl></PropertyGroup>
            </Target>
            """);

        Compute(project).Property("_ContainerSdkSourceUrl").ShouldBe(expected);
    }

    [Fact]
    public void A_multi_targeted_inner_build_names_its_framework_for_the_images_publish()
    {
        using var project = new SyntheticProject(
            targetFrameworks: "net8.0;net9.0",
            globalProperties: new Dictionary<string, string> { ["TargetFramework"] = "net9.0" });

        Compute(project).Property("_ContainerSdkPublishFramework").ShouldBe("net9.0");
    }

    [Fact]
    public void A_single_framework_build_names_no_framework()
    {
        using var project = new SyntheticProject();

        Compute(project).Property("_ContainerSdkPublishFramework").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("C#", "12.0")]
    [InlineData("VB", "")]
    public void LangVersion_is_passed_for_CSharp_only(string language, string expected)
    {
        using var project = new SyntheticProject($"<PropertyGroup><Language>{language}</Language><LangVersion>12.0</LangVersion></PropertyGroup>");

        Compute(project).Property("_ContainerSdkLangVersion").ShouldBe(expected);
    }

    [Fact]
    public void Build_context_build_needed_files_and_evaluation_properties()
    {
        using var project = new SyntheticProject("""
            <PropertyGroup><ContainerBuildContext>../ctx</ContainerBuildContext></PropertyGroup>
            <ItemGroup>
              <Compile Include="Program.cs" />
              <EmbeddedResource Include="Strings.resx" />
              <None Include="readme.md" />
            </ItemGroup>
            """);
        var run = Compute(project);

        run.Property("_ContainerSdkBuildContext").ShouldBe("../ctx");
        run.Items("_ContainerSdkBuildNeededFile").Select(i => i.EvaluatedInclude).ShouldBe(["Program.cs", "Strings.resx"]);
        var property = run.Items("_ContainerSdkEvaluationProperty").ShouldHaveSingleItem();
        property.EvaluatedInclude.ShouldBe("Configuration");
        property.GetMetadataValue("Value").ShouldBe(ContainerDefaults.Configuration);
    }

    private static Run Compute(SyntheticProject project)
    {
        var run = project.Run("_ContainerSdkComputeInputs");
        run.Succeeded.ShouldBeTrue(run.Log.ToString());
        run.Log.Warnings.ShouldBeEmpty();
        return run;
    }
}
