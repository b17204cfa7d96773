using System.Reflection;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace ContainerSdk.Targets.Tests;

/// <summary>How a project gets the ContainerSdk files.</summary>
public enum EntryPoint
{
    /// <summary>PackageReference: NuGet imports build/ContainerSdk.props and build/ContainerSdk.targets.</summary>
    PackageReference,

    /// <summary>&lt;Sdk Name="ContainerSdk" /&gt;: Sdk/Sdk.props and Sdk/Sdk.targets.</summary>
    Sdk,

    /// <summary>The outer build of a multi-targeted PackageReference project: buildMultiTargeting/.</summary>
    MultiTargeting,
}

/// <summary>
/// A project written to a temporary folder that imports the repository's sdk/ files where the real ways in import them,
/// with stub properties in place of Microsoft.NET.Sdk (TargetFramework, AssemblyName, Language...) and empty stub
/// targets for the SDK targets ContainerSdk hooks into (InitializeSourceControlInformation, Publish). Evaluated in its
/// own ProjectCollection; targets run in-process against the test build of ContainerSdk.Tasks.
/// </summary>
internal sealed class SyntheticProject : IDisposable
{
    private static readonly Dictionary<string, string> Metadata = typeof(SyntheticProject).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value ?? "");

    public static string RepositoryRoot => Path.GetFullPath(Metadata["RepositoryRoot"]);

    public static string TasksAssembly => Path.GetFullPath(Metadata["ContainerSdkTasksAssembly"]);

    private readonly ProjectCollection collection;

    /// <param name="body">Project XML placed after the stub properties (so it can override them) and before the targets.</param>
    /// <param name="beforeProps">Properties set before the props import, as Directory.Build.props would set them.</param>
    /// <param name="targetFrameworks">When set, the project is multi-targeted: no TargetFramework, this TargetFrameworks.</param>
    public SyntheticProject(
        string body = "",
        EntryPoint entry = EntryPoint.PackageReference,
        string beforeProps = "",
        string? targetFrameworks = null,
        IDictionary<string, string>? globalProperties = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "containersdk-targets-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var (props, targets) = entry switch
        {
            EntryPoint.Sdk => ("sdk/Sdk/Sdk.props", "sdk/Sdk/Sdk.targets"),
            EntryPoint.MultiTargeting => ("sdk/buildMultiTargeting/ContainerSdk.props", "sdk/buildMultiTargeting/ContainerSdk.targets"),
            _ => ("sdk/build/ContainerSdk.props", "sdk/build/ContainerSdk.targets"),
        };
        var framework = targetFrameworks is null
            ? "<TargetFramework>net8.0</TargetFramework>"
            : $"<TargetFrameworks>{targetFrameworks}</TargetFrameworks>";
        ProjectPath = WriteFile("App.csproj", $"""
            <Project>
              <PropertyGroup>
                <ContainerSdkTasksAssembly>{TasksAssembly}</ContainerSdkTasksAssembly>
                {beforeProps}
              </PropertyGroup>
              <Import Project="{Path.Combine(RepositoryRoot, props)}" />
              <PropertyGroup>
                <AssemblyName>App</AssemblyName>
                <Language>C#</Language>
                {framework}
                <TargetFrameworkIdentifier>.NETCoreApp</TargetFrameworkIdentifier>
                <TargetFrameworkVersion>v8.0</TargetFrameworkVersion>
                <Configuration>Debug</Configuration>
                <IntermediateOutputPath>obj/Debug/net8.0/</IntermediateOutputPath>
              </PropertyGroup>
              <Target Name="InitializeSourceControlInformation" />
              <Target Name="Publish" />
              {body}
              <Import Project="{Path.Combine(RepositoryRoot, targets)}" />
            </Project>
            """);
        collection = new ProjectCollection(globalProperties ?? new Dictionary<string, string>());
    }

    public string Directory { get; }

    public string ProjectPath { get; }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public Project Evaluate() => collection.LoadProject(ProjectPath);

    /// <summary>Runs <paramref name="targets"/> on a fresh instance; the instance holds the state after the build.</summary>
    public Run Run(params string[] targets)
    {
        var instance = Evaluate().CreateProjectInstance();
        var logger = new RecordingLogger();
        var succeeded = instance.Build(targets, [logger]);
        return new Run(instance, succeeded, logger);
    }

    public void Dispose()
    {
        collection.UnloadAllProjects();
        collection.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The state after a build and what it logged.</summary>
internal sealed record Run(ProjectInstance Instance, bool Succeeded, RecordingLogger Log)
{
    public string Property(string name) => Instance.GetPropertyValue(name);

    public IEnumerable<ProjectItemInstance> Items(string type) => Instance.GetItems(type);
}

/// <summary>Errors, warnings, and the targets and tasks that started.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<string> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> StartedTargets { get; } = [];

    public List<string> StartedTasks { get; } = [];

    public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Normal;

    public string? Parameters { get; set; }

    public void Initialize(IEventSource eventSource)
    {
        eventSource.ErrorRaised += (_, e) => Errors.Add($"{e.Code}: {e.Message}");
        eventSource.WarningRaised += (_, e) => Warnings.Add($"{e.Code}: {e.Message}");
        eventSource.TargetStarted += (_, e) => StartedTargets.Add(e.TargetName);
        eventSource.TaskStarted += (_, e) => StartedTasks.Add(e.TaskName);
    }

    public void Shutdown()
    {
    }

    public override string ToString() => string.Join(Environment.NewLine, Errors.Concat(Warnings));
}
