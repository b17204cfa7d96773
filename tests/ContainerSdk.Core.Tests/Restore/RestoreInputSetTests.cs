using ContainerSdk.Restore;

namespace ContainerSdk.Core.Tests.Restore;

/// <summary>The file-system half of restore-input collection, on a real folder tree.</summary>
public sealed class RestoreInputSetTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "containersdk-restore-" + Guid.NewGuid().ToString("N"));

    public RestoreInputSetTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "ctx", "src", "App"));
        Directory.CreateDirectory(Path.Combine(root, "ctx", "feed"));
        Directory.CreateDirectory(Path.Combine(root, "outside-feed"));
    }

    private string P(string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    private void Write(string relative, string text = "") => File.WriteAllText(P(relative), text);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_project_brings_its_lock_file_the_global_json_and_the_NuGet_configs_inside_the_context()
    {
        Write("ctx/src/App/App.csproj");
        Write("ctx/src/App/packages.lock.json");
        Write("ctx/global.json", "{}");
        Write("ctx/NuGet.config", "<configuration><packageSources><add key=\"l\" value=\"feed\" /><add key=\"o\" value=\"../outside-feed\" /><add key=\"n\" value=\"https://api.nuget.org/v3/index.json\" /></packageSources></configuration>");
        Write("nuget.config", "<configuration />");

        var set = new RestoreInputSet(P("ctx"));
        set.AddProject(P("ctx/src/App/App.csproj"));

        set.Inputs.ShouldBe(new[]
        {
            P("ctx/NuGet.config"), P("ctx/feed") + Path.DirectorySeparatorChar, P("ctx/global.json"),
            P("ctx/src/App/App.csproj"), P("ctx/src/App/packages.lock.json"),
        }.OrderBy(p => p, StringComparer.Ordinal), ignoreOrder: false);
        // Folders above the temporary root may hold NuGet.configs of their own.
        set.ConfigsOutsideContext.ShouldContain(P("nuget.config"));
        set.FeedsOutsideContext.ShouldBe([P("outside-feed") + "|" + P("ctx/NuGet.config")]);
        set.WatchedDirectories.ShouldContain(P("ctx/src/App"));
        set.WatchedDirectories.ShouldContain(root);
        set.Warnings.ShouldBeEmpty();
        set.OutsideContextDiagnostics(P("ctx")).Select(d => d.Code).Distinct().ShouldBe(["CSDK2010", "CSDK2013"]);
    }

    [Fact]
    public void A_broken_NuGet_config_is_a_warning()
    {
        Write("ctx/src/App/App.csproj");
        Write("ctx/NuGet.config", "<configuration>");
        var set = new RestoreInputSet(P("ctx"));
        set.AddProject(P("ctx/src/App/App.csproj"));
        set.Warnings.Single().ShouldStartWith(P("ctx/NuGet.config") + ": ");
    }

    [Theory]
    [InlineData("ctx/Directory.Build.props", false, "input")]
    [InlineData("ctx/src/App/obj/App.csproj.nuget.g.props", false, "watched")]
    [InlineData("ctx/src/App/bin/x.props", false, "watched")]
    [InlineData("sdk/Sdk.props", true, "watched")]
    [InlineData("elsewhere/Custom.props", false, "outside")]
    public void Imports(string import, bool isToolFile, string expected)
    {
        var set = new RestoreInputSet(P("ctx"));
        set.AddImport(P(import), _ => isToolFile);
        set.WatchedFiles.ShouldBe([P(import)]);
        set.Inputs.Contains(P(import)).ShouldBe(expected == "input");
        set.ImportsOutsideContext.Contains(P(import)).ShouldBe(expected == "outside");
        set.OutsideContextDiagnostics(P("ctx")).Select(d => d.Code).ShouldBe(expected == "outside" ? ["CSDK1015"] : []);
    }
}
