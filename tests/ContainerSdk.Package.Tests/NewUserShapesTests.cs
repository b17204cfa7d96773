using System.Diagnostics;
using ContainerSdk.Parsing;

namespace ContainerSdk.Package.Tests;

/// <summary>
/// Ordinary project shapes that used to pass `dotnet publish` and fail later, in the image build, at run time or by
/// shipping a secret (issue 14): each now gets a coded diagnostic, or the right file, from the packed package.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class NewUserShapesTests(PackageFixture package)
{
    private static Dictionary<string, string> Labels(string dockerfile) =>
        DockerfileParser.Parse(dockerfile).Where(i => i.Keyword == "LABEL")
            .SelectMany(i => DockerfileParser.ParseKeyValues(i.Arguments)!).ToDictionary(k => k.Key, k => k.Value);

    // Defect 1: a local feed outside the build context.
    [Fact]
    public void A_local_feed_outside_the_context_is_CSDK2013_and_one_inside_is_copied()
    {
        // The workspace's NuGet.config (inside the context: the workspace has .git) names the test feed, which lies
        // outside the workspace: exactly the shape that made restore in the image fail.
        var root = package.NewWorkspace("feed-out", withGit: true);
        var project = TestProject.Create(package, root, "app", ReferenceMode.PackageReference, subfolder: "src");
        var result = project.Build("-t:GenerateDockerfile");
        result.ShouldSucceed();
        result.WarningCodes.ShouldContain("CSDK2013");
        var warning = result.Warnings.Single(w => w.Contains("CSDK2013"));
        warning.ShouldContain(package.Feed);
        warning.ShouldContain(Path.Combine(root, "NuGet.config"));
        warning.ShouldContain("ContainerBuildContext");

        // The same feed copied into the context: no warning, and the restore layer carries it.
        var inside = package.NewWorkspace("feed-in", withGit: true);
        CopyDirectory(package.Feed, Path.Combine(inside, "feed"));
        File.WriteAllText(Path.Combine(inside, "NuGet.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="feed" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        var local = TestProject.Create(package, inside, "app", ReferenceMode.PackageReference, subfolder: "src");
        var ok = local.Build("-t:GenerateDockerfile");
        ok.ShouldSucceed();
        ok.WarningCodes.ShouldNotContain("CSDK2013");
        DockerfileParser.Parse(local.ReadDockerfile()).ShouldContain(i => i.Keyword == "COPY" && i.Arguments.Contains("\"feed/\""));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    // Defect 2: an MSBuild import from outside the repository.
    [Fact]
    public void An_import_from_outside_the_context_is_CSDK1015_and_nothing_is_written()
    {
        var root = package.NewWorkspace("import-out", withGit: true);
        var common = Path.Combine(package.Root, "shared-" + Guid.NewGuid().ToString("N")[..8], "common.props");
        Directory.CreateDirectory(Path.GetDirectoryName(common)!);
        File.WriteAllText(common, "<Project><PropertyGroup><Company>Example</Company></PropertyGroup></Project>\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), $"<Project><Import Project=\"{common}\" /></Project>\n");
        var project = TestProject.Create(package, root, "app", ReferenceMode.Sdk, subfolder: "src");

        var result = project.Build("-t:GenerateDockerfile");
        result.ExitCode.ShouldNotBe(0, result.Output);
        result.ErrorCodes.ShouldContain("CSDK1015");
        result.Errors.Single(e => e.Contains("CSDK1015")).ShouldContain(common);
        File.Exists(project.Dockerfile).ShouldBeFalse();

        // Imported from inside the context, the same file is a restore input like any Directory.Build.props; the
        // SDK's and the packages' own imports never count.
        var inside = Path.Combine(root, "build", "common.props");
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        File.Copy(common, inside);
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project><Import Project=\"build/common.props\" /></Project>\n");
        var ok = project.Build("-t:GenerateDockerfile");
        ok.ShouldSucceed();
        ok.ErrorCodes.ShouldBeEmpty();
        project.ReadDockerfile().ShouldContain("\"build/common.props\"");
    }

    // Defect 4: a secret in a .resx of a referenced library.
    [Fact]
    public void A_token_in_a_library_resx_and_its_satellite_is_reported_at_publish_and_in_the_sarif()
    {
        var root = package.NewWorkspace("resx", withGit: true);
        var lib = Path.Combine(root, "lib");
        Directory.CreateDirectory(lib);
        File.WriteAllText(Path.Combine(lib, "Lib.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(lib, "Marker.cs"), "namespace Lib;\n\npublic static class Marker\n{\n    public static string Name => \"lib\";\n}\n");
        var token = "gh" + "p_" + Guid.NewGuid().ToString("N") + "0123";
        File.WriteAllText(Path.Combine(lib, "Strings.resx"), Resx(("Title", "Library"), ("GitHubToken", token)));
        File.WriteAllText(Path.Combine(lib, "Strings.de.resx"), Resx(("Title", "Bibliothek"), ("GitHubToken", token)));
        var project = TestProject.Create(package, root, "app", ReferenceMode.Sdk, subfolder: "src",
            items: """<ProjectReference Include="../../lib/Lib.csproj" />""");

        var result = project.Publish();
        result.ShouldSucceed();
        var warnings = result.Warnings.Where(w => w.Contains("CSDK3203")).ToList();
        warnings.ShouldContain(w => w.Contains("Lib.dll") && w.Contains("resource 'GitHubToken' in 'Lib.Strings.resources'"), result.Output);
        warnings.ShouldContain(w => w.Contains("de/Lib.resources.dll") && w.Contains("'Lib.Strings.de.resources'"), result.Output);
        result.Output.ShouldNotContain(token);
        var sarif = Directory.GetFiles(project.Directory, "containersdk-secrets.sarif", SearchOption.AllDirectories).Single();
        var text = File.ReadAllText(sarif);
        text.ShouldContain("CSDK3203");
        text.ShouldContain("Lib.dll");
        text.ShouldNotContain(token);
    }

    private static string Resx(params (string Name, string Value)[] entries) =>
        """
        <?xml version="1.0" encoding="utf-8"?>
        <root>
          <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
          <resheader name="version"><value>2.0</value></resheader>
          <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
          <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
        """ + "\n" + string.Concat(entries.Select(e => $"  <data name=\"{e.Name}\" xml:space=\"preserve\"><value>{e.Value}</value></data>\n")) + "</root>\n";

    // Defect 5: an Alpine runtime with ONNX Runtime.
    [Theory]
    [InlineData("-p:ContainerFamily=alpine")]
    [InlineData("-p:ContainerBaseImage=mcr.microsoft.com/dotnet/aspnet:10.0-alpine")]
    public void Onnx_runtime_on_an_alpine_base_is_CSDK4003_and_nothing_is_written(string property)
    {
        var project = TestProject.Create(package, package.NewWorkspace("alpine"), "app", ReferenceMode.PackageReference,
            items: """<PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />""");
        var result = project.Build("-t:GenerateDockerfile", property);
        result.ExitCode.ShouldNotBe(0, result.Output);
        result.ErrorCodes.ShouldContain("CSDK4003");
        var error = result.Errors.Single(e => e.Contains("CSDK4003"));
        error.ShouldContain("linux-musl-x64");
        error.ShouldContain("linux-x64", Case.Sensitive, "the RIDs come from the package on disk");
        File.Exists(project.Dockerfile).ShouldBeFalse();

        project.Build("-t:GenerateDockerfile").ShouldSucceed();
    }

    // Defect 6: the port the app really uses.
    [Fact]
    public void Expose_and_the_probe_follow_the_apps_port_and_a_contradiction_is_CSDK1020()
    {
        var project = TestProject.Create(package, package.NewWorkspace("port"), "app",
            properties: "<ContainerHealthCheckPath>/healthz</ContainerHealthCheckPath>",
            items: """<ContainerEnvironmentVariable Include="ASPNETCORE_HTTP_PORTS" Value="5000" />""");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var parsed = DockerfileParser.Parse(project.ReadDockerfile());
        parsed.Single(i => i.Keyword == "EXPOSE").Arguments.ShouldBe("5000/tcp");
        parsed.Single(i => i.Keyword == "HEALTHCHECK").Arguments.ShouldContain("http://127.0.0.1:5000/healthz");

        var contradiction = TestProject.Create(package, package.NewWorkspace("port-contradiction"), "app",
            items: """<ContainerPort Include="8080" /><ContainerEnvironmentVariable Include="ASPNETCORE_HTTP_PORTS" Value="5000" />""");
        var refused = contradiction.Build("-t:GenerateDockerfile");
        refused.ExitCode.ShouldNotBe(0, refused.Output);
        refused.ErrorCodes.ShouldBe(["CSDK1020"]);
        refused.Errors.Single().ShouldContain("The app listens on 5000 (ASPNETCORE_HTTP_PORTS), but ContainerPort is 8080");
        File.Exists(contradiction.Dockerfile).ShouldBeFalse();
    }

    [Fact]
    public void Aspnetcore_urls_sets_the_exposed_port_and_the_probe()
    {
        var project = TestProject.Create(package, package.NewWorkspace("urls"), "app",
            properties: "<ContainerHealthCheckPath>/healthz</ContainerHealthCheckPath>",
            items: """<ContainerEnvironmentVariable Include="ASPNETCORE_URLS" Value="http://+:5000" />""");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var parsed = DockerfileParser.Parse(project.ReadDockerfile());
        parsed.Single(i => i.Keyword == "EXPOSE").Arguments.ShouldBe("5000/tcp");
        parsed.Single(i => i.Keyword == "HEALTHCHECK").Arguments.ShouldContain("http://127.0.0.1:5000/healthz");
    }

    // Defect 7: a multi-line Description.
    [Fact]
    public void A_multi_line_description_becomes_a_one_line_label_and_container_values_keep_the_error()
    {
        var project = TestProject.Create(package, package.NewWorkspace("description"), "app",
            properties: "<Description>First line.&#10;Second line.&#13;&#10;&#9;Third.</Description><Authors>Ann&#10;Bob</Authors>");
        var result = project.Publish();
        result.ShouldSucceed();
        var labels = Labels(project.ReadDockerfile());
        labels["org.opencontainers.image.description"].ShouldBe("First line. Second line. Third.");
        labels["org.opencontainers.image.authors"].ShouldBe("Ann Bob");

        var hostile = TestProject.Create(package, package.NewWorkspace("description-hostile"), "app",
            items: """<ContainerLabel Include="com.example.note" Value="a&#10;b" />""");
        var refused = hostile.Build("-t:GenerateDockerfile");
        refused.ErrorCodes.ShouldBe(["CSDK1008"]);
    }

    // Defect 8: two projects in one folder.
    [Fact]
    public void A_second_project_in_the_folder_never_replaces_the_firsts_dockerfile()
    {
        var a = TestProject.Create(package, package.NewWorkspace("two"), "A");
        File.Copy(a.ProjectFile, Path.Combine(a.Directory, "B.csproj"));
        a.Build("-t:GenerateDockerfile").ShouldSucceed();
        var first = a.ReadDockerfile();
        first.ShouldContain("from A.csproj;");

        foreach (var overwrite in new[] { "false", "true" })
        {
            var b = Dotnet.Run(a.Directory, "build", Path.Combine(a.Directory, "B.csproj"), "-t:GenerateDockerfile", "-p:ContainerDockerfileOverwrite=" + overwrite);
            b.ShouldSucceed();
            b.WarningCodes.ShouldContain("CSDK2014");
            b.Warnings.Single(w => w.Contains("CSDK2014")).ShouldContain("ContainerDockerfile");
            a.ReadDockerfile().ShouldBe(first);
        }

        var own = Dotnet.Run(a.Directory, "build", Path.Combine(a.Directory, "B.csproj"), "-t:GenerateDockerfile", "-p:ContainerDockerfile=B.Dockerfile");
        own.ShouldSucceed();
        own.WarningCodes.ShouldNotContain("CSDK2014");
        File.ReadAllText(Path.Combine(a.Directory, "B.Dockerfile")).ShouldContain("from B.csproj;");
        a.ReadDockerfile().ShouldBe(first);
    }

    // Defect 9: copy-paste commands in the header.
    [Fact]
    public void Header_commands_work_when_pasted_into_a_shell_for_paths_with_spaces_hash_quote_and_non_ascii()
    {
        var root = package.NewWorkspace("quote", withGit: true);
        var project = TestProject.Create(package, root, "My App", subfolder: "src/C# it's é");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var header = project.ReadDockerfile().Split('\n').TakeWhile(l => l.StartsWith('#')).ToList();
        var build = header.Single(l => l.StartsWith("#   dotnet build ", StringComparison.Ordinal));
        var buildx = header.Single(l => l.Contains("docker buildx build -f ", StringComparison.Ordinal));

        // What the shell makes of the pasted words is the real path, one argument each.
        var projectWord = build["#   dotnet build ".Length..build.IndexOf(" -t:GenerateDockerfile", StringComparison.Ordinal)];
        var dockerfileWord = buildx[(buildx.IndexOf("-f ", StringComparison.Ordinal) + 3)..buildx.IndexOf(" .   (", StringComparison.Ordinal)];
        Shell("printf '%s\\n' " + projectWord + " " + dockerfileWord)
            .ShouldBe("src/C# it's é/My App/My App.csproj\nsrc/C# it's é/My App/Dockerfile\n");
    }

    private static string Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
        return output;
    }

    // Defect 10: a hand-edited ignore file that drops a secret exclusion.
    [Fact]
    public void An_edited_ignore_file_without_the_env_exclusion_is_CSDK2004()
    {
        var project = TestProject.Create(package, package.NewWorkspace("ignore-edit"), "app");
        project.Build("-t:GenerateDockerfile").ShouldSucceed();
        var ignore = project.Dockerfile + ".dockerignore";
        File.WriteAllLines(ignore, File.ReadAllLines(ignore).Where(l => l != "**/.env*"));

        var result = project.Build("-t:GenerateDockerfile");
        result.ShouldSucceed();
        result.WarningCodes.ShouldContain("CSDK2001");
        result.WarningCodes.ShouldContain("CSDK2004");
        result.Warnings.Single(w => w.Contains("CSDK2004")).ShouldContain(".env");
    }
}
