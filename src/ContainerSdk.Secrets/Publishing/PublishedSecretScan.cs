using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Secrets;

/// <summary>
/// After publish, scans what really ships — every file of the publish folder, including NuGet content and the
/// strings compiled into each .dll — with the same rules as the analyzer. Findings become diagnostics (errors with
/// <see cref="PublishedSecretScanOptions.TreatAsErrors"/>) located at the project file they came from when known, and a
/// SARIF 2.1.0 report; or, with <see cref="PublishedSecretScanOptions.WriteBaseline"/>, the baseline that accepts them.
/// </summary>
public sealed partial class PublishedSecretScan(PublishedSecretScanOptions options)
{
    private readonly PublishedSecretScanResult result = new();

    public static PublishedSecretScanResult Run(PublishedSecretScanOptions options) => new PublishedSecretScan(options).Run();

    private PublishedSecretScanResult Run()
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.PublishDirectory);
        if (!Directory.Exists(root))
        {
            Say(LogImportance.Normal, "ContainerSdk: no publish folder '{0}', nothing to scan for secrets.", root);
            return result;
        }

        var excludes = options.Exclude.Select(e => new PathGlob(e, OperatingSystem.IsWindows() ? PathGlobOptions.IgnoreCase : PathGlobOptions.None)).ToList();
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f)))
            .Where(f => !excludes.Any(g => g.IsMatch(f.Relative.Replace('\\', '/'))))
            .ToList();

        var (findings, skipped, bytes) = ScanFiles(files);
        var disabled = ParseCodes(options.DisabledRules);
        findings = findings.Where(f => !disabled.Contains(f.Match.Rule.Id)).ToList();

        if (options.WriteBaseline)
        {
            WriteBaselineFile(findings);
            return result;
        }

        var baseline = ReadBaseline();
        var reported = findings.Where(f => !baseline.Contains(f.Match)).ToList();
        foreach (var skip in skipped.Where(s => s.Truncated))
        {
            Report(ContainerDiagnostic.Create("CSDK3003", skip.RelativePath, (skip.Bytes >> 20).ToString(CultureInfo.InvariantCulture), options.MaxFileSizeMB.ToString(CultureInfo.InvariantCulture)), Path.Combine(root, skip.RelativePath));
        }

        var sources = SourceMap(root);
        var reports = new List<SecretReport>();
        foreach (var finding in reported)
        {
            var where = finding.RelativePath.Replace('\\', '/') + (finding.Member is null ? "" : " (" + finding.Member + ")");
            // A secret rule is a warning in the catalog; ContainerSecretsAsErrors raises it, as WarningsAsErrors would.
            var diagnostic = ContainerDiagnostic.Create(finding.Match.Rule.Id, where, finding.Match.Hint);
            if (options.TreatAsErrors)
            {
                diagnostic = diagnostic.WithSeverity(DiagnosticSeverity.Error);
            }

            var reportedPath = finding.Member is null && sources.TryGetValue(finding.PublishedPath, out var source) ? source : finding.PublishedPath;
            Report(diagnostic, reportedPath, finding.Line, finding.Column);
            reports.Add(new SecretReport(finding, reportedPath, diagnostic.Message, diagnostic.IsError));
        }

        result.SecretCount = reports.Count;
        WriteSarif(reports);
        Say(LogImportance.High,
            "ContainerSdk: scanned {0} published files ({1:0.0} MB) for secrets in {2} ms: {3} found{4}{5}.",
            files.Count, bytes / 1048576.0, clock.ElapsedMilliseconds, reports.Count,
            findings.Count > reports.Count ? $", {findings.Count - reports.Count} accepted by the baseline" : "",
            result.SarifOutput is null ? "" : "; report: " + result.SarifOutput);
        return result;
    }

    /// <summary>Scans the files in parallel; the findings come back in a stable order (path, line, column, rule).</summary>
    private (List<PublishedSecret> Findings, List<SkippedFile> Skipped, long Bytes) ScanFiles(List<(string Full, string Relative)> files)
    {
        var maxBytes = Math.Max(1L, options.MaxFileSizeMB) << 20;
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
        // Reported here, in file order, not from the parallel loop.
        foreach (var skip in ordered.SelectMany(r => r.Skipped).Where(s => !s.Truncated))
        {
            if (skip.Failed)
            {
                Report(ContainerDiagnostic.Create("CSDK3004", skip.RelativePath, skip.Reason), Path.Combine(options.PublishDirectory, skip.RelativePath));
            }
            else
            {
                Say(LogImportance.Low, "ContainerSdk: secrets scan read only the name of '{0}' ({1}).", skip.RelativePath, skip.Reason);
            }
        }

        return (findings, ordered.SelectMany(r => r.Skipped).ToList(), ordered.Sum(r => r.Bytes));
    }

    private void WriteSarif(List<SecretReport> reports)
    {
        if (string.IsNullOrWhiteSpace(options.SarifFile))
        {
            return;
        }

        var path = Path.GetFullPath(options.SarifFile!);
        try
        {
            SecretSarifWriter.Write(path, reports, SourceRoot(), options.ToolVersion);
            result.SarifOutput = path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(ContainerDiagnostic.Create("CSDK3002", path, e.Message), path);
        }
    }

    private static HashSet<string> ParseCodes(string? codes) =>
        new((codes ?? "").Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);

    private void Report(ContainerDiagnostic diagnostic, string file, int line = 0, int column = 0) =>
        result.Log.Add(ScanLogEntry.For(diagnostic, file, line, column));

    /// <summary>Formatted as MSBuild formats a logged message: in the current culture.</summary>
    private void Say(LogImportance importance, string format, params object?[] args) =>
        result.Log.Add(ScanLogEntry.Say(importance, string.Format(CultureInfo.CurrentCulture, format, args)));
}
