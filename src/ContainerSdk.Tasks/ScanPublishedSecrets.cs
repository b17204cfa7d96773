using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ContainerSdk.Diagnostics;
using ContainerSdk.Secrets;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// After publish, scans what really ships — every file of the publish folder, including NuGet content and the
/// strings compiled into each .dll — with the same rules as the analyzer. Findings become MSBuild warnings (errors
/// with ContainerSecretsAsErrors) located at the project file they came from when known, and a SARIF 2.1.0 report.
/// </summary>
public sealed class ScanPublishedSecrets : Microsoft.Build.Utilities.Task
{
    [Required] public string PublishDirectory { get; set; } = "";

    /// <summary>The project folder: the SARIF source root is the repository above it (the folder holding .git).</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>@(ResolvedFileToPublish): maps a published file back to the project file it was copied from.</summary>
    public ITaskItem[] PublishedItems { get; set; } = [];

    /// <summary>@(ContainerSecretsExclude): globs relative to the publish folder that are not scanned.</summary>
    public ITaskItem[] Exclude { get; set; } = [];

    public string? SarifFile { get; set; }

    public string? BaselineFile { get; set; }

    public bool TreatAsErrors { get; set; }

    /// <summary>$(NoWarn): codes listed there are left out of the SARIF report too (MSBuild already hides the warnings).</summary>
    public string? DisabledRules { get; set; }

    public int MaxFileSizeMB { get; set; } = 100;

    /// <summary>Write every current finding to <see cref="BaselineOutputFile"/> instead of reporting it.</summary>
    public bool WriteBaseline { get; set; }

    public string? BaselineOutputFile { get; set; }

    public string ToolVersion { get; set; } = "0.0.0";

    [Output] public int SecretCount { get; set; }

    [Output] public string? SarifOutput { get; set; }

    public override bool Execute()
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(PublishDirectory);
        if (!Directory.Exists(root))
        {
            Log.LogMessage(MessageImportance.Normal, "ContainerSdk: no publish folder '{0}', nothing to scan for secrets.", root);
            return true;
        }

        var excludes = Exclude.Select(e => new SecretGlob(e.ItemSpec)).ToList();
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f)))
            .Where(f => !excludes.Any(g => g.IsMatch(f.Relative)))
            .ToList();

        var (findings, skipped, bytes) = ScanFiles(files);
        var disabled = ParseCodes(DisabledRules);
        findings = findings.Where(f => !disabled.Contains(f.Match.Rule.Id)).ToList();

        if (WriteBaseline)
        {
            return WriteBaselineFile(findings);
        }

        var baseline = ReadBaseline();
        var reported = findings.Where(f => !baseline.Contains(f.Match)).ToList();
        foreach (var skip in skipped.Where(s => s.Truncated))
        {
            LogDiagnostic(ContainerDiagnostic.Warning("CSDK3003", skip.RelativePath, (skip.Bytes >> 20).ToString(CultureInfo.InvariantCulture), MaxFileSizeMB.ToString(CultureInfo.InvariantCulture)), Path.Combine(root, skip.RelativePath), 0, 0);
        }

        var sources = SourceMap(root);
        var reports = new List<SecretReport>();
        foreach (var finding in reported)
        {
            var where = finding.RelativePath.Replace('\\', '/') + (finding.Member is null ? "" : " (" + finding.Member + ")");
            // A secret rule is a warning in the catalog; ContainerSecretsAsErrors raises it, as WarningsAsErrors would.
            var diagnostic = ContainerDiagnostic.Create(finding.Match.Rule.Id, where, finding.Match.Hint);
            if (TreatAsErrors)
            {
                diagnostic = diagnostic.WithSeverity(DiagnosticSeverity.Error);
            }

            var reportedPath = finding.Member is null && sources.TryGetValue(finding.PublishedPath, out var source) ? source : finding.PublishedPath;
            LogDiagnostic(diagnostic, reportedPath, finding.Line, finding.Column);
            reports.Add(new SecretReport(finding, reportedPath, diagnostic.Message, diagnostic.IsError));
        }

        SecretCount = reports.Count;
        WriteSarif(reports);
        Log.LogMessage(MessageImportance.High,
            "ContainerSdk: scanned {0} published files ({1:0.0} MB) for secrets in {2} ms: {3} found{4}{5}.",
            files.Count, bytes / 1048576.0, clock.ElapsedMilliseconds, reports.Count,
            findings.Count > reports.Count ? $", {findings.Count - reports.Count} accepted by the baseline" : "",
            SarifOutput is null ? "" : "; report: " + SarifOutput);
        return !Log.HasLoggedErrors;
    }

    private (List<PublishedSecret> Findings, List<SkippedFile> Skipped, long Bytes) ScanFiles(List<(string Full, string Relative)> files)
    {
        var maxBytes = Math.Max(1L, MaxFileSizeMB) << 20;
        var results = new ConcurrentBag<(int Index, List<PublishedSecret> Found, List<SkippedFile> Skipped, long Bytes)>();
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var found = new List<PublishedSecret>();
            var skipped = new List<SkippedFile>();
            long length = 0;
            try
            {
                length = new FileInfo(files[i].Full).Length;
                SecretFileScanner.Scan(files[i].Full, files[i].Relative, maxBytes, found, skipped);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
            {
                skipped.Add(new SkippedFile(files[i].Relative, e.Message, length, false, Failed: true));
            }

            results.Add((i, found, skipped, length));
        });

        var ordered = results.OrderBy(r => r.Index).ToList();
        var findings = ordered.SelectMany(r => r.Found)
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.Match.Rule.Id, StringComparer.Ordinal)
            .ToList();
        // Logged here, on the task's thread, not from the parallel loop.
        foreach (var skip in ordered.SelectMany(r => r.Skipped).Where(s => !s.Truncated))
        {
            if (skip.Failed)
            {
                LogDiagnostic(ContainerDiagnostic.Warning("CSDK3004", skip.RelativePath, skip.Reason), Path.Combine(PublishDirectory, skip.RelativePath), 0, 0);
            }
            else
            {
                Log.LogMessage(MessageImportance.Low, "ContainerSdk: secrets scan read only the name of '{0}' ({1}).", skip.RelativePath, skip.Reason);
            }
        }

        return (findings, ordered.SelectMany(r => r.Skipped).ToList(), ordered.Sum(r => r.Bytes));
    }

    /// <summary>Published path → project path, for files published unchanged from the project folder.</summary>
    private Dictionary<string, string> SourceMap(string root)
    {
        var map = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var item in PublishedItems)
        {
            var relative = item.GetMetadata("RelativePath");
            var source = item.GetMetadata("FullPath");
            if (string.IsNullOrEmpty(relative) || string.IsNullOrEmpty(source) || !File.Exists(source))
            {
                continue;
            }

            var published = Path.GetFullPath(Path.Combine(root, relative));
            if (!string.Equals(Path.GetFileName(published), Path.GetFileName(source), StringComparison.OrdinalIgnoreCase) || IsUnderIntermediate(source))
            {
                continue;
            }

            map[published] = source;
        }

        return map;
    }

    private static bool IsUnderIntermediate(string path) =>
        path.Replace('\\', '/').Contains("/obj/", StringComparison.OrdinalIgnoreCase);

    private SecretBaseline ReadBaseline()
    {
        if (string.IsNullOrWhiteSpace(BaselineFile))
        {
            return SecretBaseline.Empty;
        }

        var path = Path.GetFullPath(BaselineFile!);
        if (!File.Exists(path))
        {
            LogDiagnostic(ContainerDiagnostic.Warning("CSDK3001", path, "the file does not exist"), path, 0, 0);
            return SecretBaseline.Empty;
        }

        var baseline = SecretBaseline.Parse(File.ReadAllText(path), out var errors);
        if (errors.Count > 0)
        {
            LogDiagnostic(ContainerDiagnostic.Warning("CSDK3001", path, "lines " + string.Join(", ", errors.Take(10)) + " are not CODE FINGERPRINT entries and were ignored"), path, errors[0], 0);
        }

        return baseline;
    }

    private bool WriteBaselineFile(List<PublishedSecret> findings)
    {
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(BaselineOutputFile) ? BaselineFile ?? "ContainerSecrets.baseline" : BaselineOutputFile!);
        var text = SecretBaseline.Format(findings.Select(f => (f.Match.Rule.Id, f.Match.Fingerprint,
            f.RelativePath.Replace('\\', '/') + (f.Line > 0 ? ":" + f.Line.ToString(CultureInfo.InvariantCulture) : "") + (f.Member is null ? "" : " " + f.Member))));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.Replace("\n", Environment.NewLine));
        Log.LogMessage(MessageImportance.High, "ContainerSdk: wrote {0} secret fingerprints to the baseline '{1}'.", findings.Select(f => f.Match.Fingerprint).Distinct().Count(), path);
        return true;
    }

    private void WriteSarif(List<SecretReport> reports)
    {
        if (string.IsNullOrWhiteSpace(SarifFile))
        {
            return;
        }

        var path = Path.GetFullPath(SarifFile!);
        try
        {
            SecretSarifWriter.Write(path, reports, SourceRoot(), ToolVersion);
            SarifOutput = path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDiagnostic(ContainerDiagnostic.Warning("CSDK3002", path, e.Message), path, 0, 0);
        }
    }

    /// <summary>The repository root (GitHub code scanning wants paths relative to it), else the project folder.</summary>
    private string SourceRoot()
    {
        var start = string.IsNullOrWhiteSpace(ProjectDirectory) ? Path.GetFullPath(PublishDirectory) : Path.GetFullPath(ProjectDirectory!);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return start;
    }

    private static HashSet<string> ParseCodes(string? codes) =>
        new((codes ?? "").Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);

    private void LogDiagnostic(ContainerDiagnostic d, string file, int line, int column)
    {
        if (d.IsError)
        {
            Log.LogError(null, d.Code, null, d.HelpLink, file, line, column, 0, 0, d.Message);
        }
        else
        {
            Log.LogWarning(null, d.Code, null, d.HelpLink, file, line, column, 0, 0, d.Message);
        }
    }
}
