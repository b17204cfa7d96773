using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Secrets;

/// <summary>Where findings point (the project file a published file came from, the repository root) and the baseline.</summary>
public sealed partial class PublishedSecretScan
{
    /// <summary>Published path → project path, for files published unchanged from the project folder.</summary>
    private Dictionary<string, string> SourceMap(string root)
    {
        var map = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var item in options.PublishedFiles)
        {
            var relative = item.RelativePath;
            var source = item.SourcePath;
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

    /// <summary>The repository root (GitHub code scanning wants paths relative to it), else the project folder.</summary>
    private string SourceRoot()
    {
        var start = string.IsNullOrWhiteSpace(options.ProjectDirectory) ? Path.GetFullPath(options.PublishDirectory) : Path.GetFullPath(options.ProjectDirectory!);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return start;
    }

    private SecretBaseline ReadBaseline()
    {
        if (string.IsNullOrWhiteSpace(options.BaselineFile))
        {
            return SecretBaseline.Empty;
        }

        var path = Path.GetFullPath(options.BaselineFile!);
        if (!File.Exists(path))
        {
            Report(ContainerDiagnostic.Create("CSDK3001", path, "the file does not exist"), path);
            return SecretBaseline.Empty;
        }

        var baseline = SecretBaseline.Parse(File.ReadAllText(path), out var errors);
        if (errors.Count > 0)
        {
            Report(ContainerDiagnostic.Create("CSDK3001", path, "lines " + string.Join(", ", errors.Take(10)) + " are not CODE FINGERPRINT entries and were ignored"), path, errors[0]);
        }

        return baseline;
    }

    private void WriteBaselineFile(List<PublishedSecret> findings)
    {
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(options.BaselineOutputFile) ? options.BaselineFile ?? "ContainerSecrets.baseline" : options.BaselineOutputFile!);
        var text = SecretBaseline.Format(findings.Select(f => (f.Match.Rule.Id, f.Match.Fingerprint,
            f.RelativePath.Replace('\\', '/') + (f.Line > 0 ? ":" + f.Line.ToString(CultureInfo.InvariantCulture) : "") + (f.Member is null ? "" : " " + f.Member))));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.Replace("\n", Environment.NewLine));
        Say(LogImportance.High, "ContainerSdk: wrote {0} secret fingerprints to the baseline '{1}'.", findings.Select(f => f.Match.Fingerprint).Distinct().Count(), path);
    }
}
