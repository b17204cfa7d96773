using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ContainerSdk.Secrets;

/// <summary>A finding as reported: the rule, where (project file when known, else published file), and the message.</summary>
internal sealed record SecretReport(PublishedSecret Finding, string ReportedPath, string Message, bool IsError);

/// <summary>
/// SARIF 2.1.0 in the shape GitHub code scanning accepts: one run, the rules with help links and security-severity,
/// results with a repository-relative artifactLocation (uriBaseId %SRCROOT%), a region when a line is known, and a
/// fingerprint of the secret (a one-way hash) so alerts track across runs. Never the secret itself.
/// </summary>
internal static class SecretSarifWriter
{
    public const string SourceRootId = "%SRCROOT%";

    public static void Write(string path, IReadOnlyList<SecretReport> reports, string sourceRoot, string toolVersion)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, reports, sourceRoot, toolVersion);
    }

    public static void Write(Stream stream, IReadOnlyList<SecretReport> reports, string sourceRoot, string toolVersion)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var rules = SecretRules.All;
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "ContainerSdk");
        json.WriteString("fullName", "ContainerSdk publish-time secret scan");
        json.WriteString("informationUri", "https://github.com/containersdk/containersdk");
        json.WriteString("semanticVersion", SemanticVersion(toolVersion));
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", rule.Name);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", rule.Title);
            json.WriteEndObject();
            json.WriteStartObject("fullDescription");
            json.WriteString("text", rule.Description);
            json.WriteEndObject();
            json.WriteString("helpUri", rule.HelpLink);
            json.WriteStartObject("help");
            json.WriteString("text", rule.Description + " See " + rule.HelpLink);
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", "warning");
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteStartArray("tags");
            json.WriteStringValue("security");
            json.WriteStringValue("secret");
            json.WriteEndArray();
            json.WriteString("precision", rule.Kind == SecretRuleKind.KeyValue ? "medium" : "high");
            json.WriteString("security-severity", rule.SecuritySeverity);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject(SourceRootId);
        json.WriteString("uri", new Uri(EnsureTrailingSlash(Path.GetFullPath(sourceRoot))).AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var report in reports)
        {
            var finding = report.Finding;
            var rule = finding.Match.Rule;
            json.WriteStartObject();
            json.WriteString("ruleId", rule.Id);
            json.WriteNumber("ruleIndex", IndexOf(rules, rule));
            json.WriteString("level", report.IsError ? "error" : "warning");
            json.WriteStartObject("message");
            json.WriteString("text", report.Message);
            json.WriteEndObject();
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            // Code scanning shows results under the repository; a project file outside it (a referenced project
            // elsewhere, a NuGet package's content) is located at its published copy instead.
            WriteUri(json, IsUnder(report.ReportedPath, sourceRoot) ? report.ReportedPath : finding.PublishedPath, sourceRoot);
            json.WriteEndObject();
            if (finding.Line > 0)
            {
                json.WriteStartObject("region");
                json.WriteNumber("startLine", finding.Line);
                json.WriteNumber("startColumn", Math.Max(1, finding.Column));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            if (finding.Member is not null)
            {
                json.WriteStartArray("logicalLocations");
                json.WriteStartObject();
                json.WriteString("name", finding.Member);
                json.WriteString("kind", "resource");
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("partialFingerprints");
            json.WriteString("containerSdkSecret/v1", finding.Match.Fingerprint);
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("publishedPath", finding.RelativePath.Replace('\\', '/'));
            json.WriteString("hint", finding.Match.Hint);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteUri(Utf8JsonWriter json, string path, string sourceRoot)
    {
        var full = Path.GetFullPath(path);
        var root = EnsureTrailingSlash(Path.GetFullPath(sourceRoot));
        if (full.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            var relative = full.Substring(root.Length).Replace('\\', '/');
            json.WriteString("uri", string.Join("/", relative.Split('/').Select(Uri.EscapeDataString)));
            json.WriteString("uriBaseId", SourceRootId);
        }
        else
        {
            json.WriteString("uri", new Uri(full).AbsoluteUri);
        }
    }

    private static bool IsUnder(string path, string root) =>
        Path.GetFullPath(path).StartsWith(EnsureTrailingSlash(Path.GetFullPath(root)), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static int IndexOf(IReadOnlyList<SecretRule> rules, SecretRule rule)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] == rule)
            {
                return i;
            }
        }

        return -1;
    }

    private static string EnsureTrailingSlash(string path) =>
        path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar) ? path : path + Path.DirectorySeparatorChar;

    private static string SemanticVersion(string version) => string.IsNullOrWhiteSpace(version) ? "0.0.0" : version.Trim();
}
