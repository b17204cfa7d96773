using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Package.Tests;

/// <summary>
/// Packs ContainerSdk once per test run with a unique prerelease version into a temporary feed, so no test can
/// consume a stale copy from the NuGet global packages folder.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        Root = Directory.CreateTempSubdirectory("containersdk-it-").FullName;
        Feed = Path.Combine(Root, "feed");
        Version = "0.1.0-it." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;
        var pack = Dotnet.Run(RepoRoot, "pack", Path.Combine(RepoRoot, "src/ContainerSdk.Package/ContainerSdk.Package.csproj"),
            "-c", "Release", "-o", Feed, $"-p:Version={Version}");
        if (pack.ExitCode != 0 || !File.Exists(Path.Combine(Feed, $"ContainerSdk.{Version}.nupkg")))
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + pack.Output);
        }
    }

    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    public static string RepoRoot { get; } = FindRepoRoot();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned by the OS later.
        }
    }

    /// <summary>A fresh folder with a NuGet.config that sees the temp feed and nuget.org.</summary>
    public string NewWorkspace(string name, bool withGit = false)
    {
        var dir = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="containersdk-test" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        if (withGit)
        {
            Directory.CreateDirectory(Path.Combine(dir, ".git"));
        }

        return dir;
    }

    private static string FindRepoRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "ContainerSdk package";
}

public sealed record DotnetResult(int ExitCode, string Output, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>Asserts a zero exit code, with the whole build log in the failure message.</summary>
    public void ShouldSucceed() => ExitCode.ShouldBe(0, "dotnet failed:\n" + Output);

    public IEnumerable<string> ErrorCodes => Codes(Errors);

    public IEnumerable<string> WarningCodes => Codes(Warnings);

    private static IEnumerable<string> Codes(IEnumerable<string> lines) =>
        lines.Select(l => Regex.Match(l, @"(?:error|warning) ([A-Z]+[0-9]+):")).Where(m => m.Success).Select(m => m.Groups[1].Value);
}

public static class Dotnet
{
    /// <summary>Runs dotnet with build servers off (they would keep an old task assembly loaded) and returns the
    /// console output plus the errors and warnings MSBuild wrote to its file loggers.</summary>
    public static DotnetResult Run(string workingDirectory, params string[] args)
    {
        var logs = Directory.CreateTempSubdirectory("containersdk-log-").FullName;
        var errorsLog = Path.Combine(logs, "errors.log");
        var warningsLog = Path.Combine(logs, "warnings.log");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        bool msbuild = args.Length > 0 && args[0] is "build" or "publish" or "pack" or "msbuild" or "restore";
        if (msbuild)
        {
            start.ArgumentList.Add("-nr:false");
            start.ArgumentList.Add($"-flp1:logfile={errorsLog};errorsonly");
            start.ArgumentList.Add($"-flp2:logfile={warningsLog};warningsonly");
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} ran over 5 minutes:\n{output}");
        }

        process.WaitForExit();
        string[] Read(string path) => File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Trim().Length > 0).Distinct().ToArray() : [];
        var result = new DotnetResult(process.ExitCode, output.ToString(), Read(errorsLog), Read(warningsLog));
        Directory.Delete(logs, recursive: true);
        return result;
    }
}
