using System.Collections.Generic;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Secrets;

/// <summary>
/// One thing the scan has to say, in the order it happened: a diagnostic located in a file (line and column 0 when
/// unknown), or a message.
/// </summary>
public sealed record ScanLogEntry(ContainerDiagnostic? Diagnostic, string? File, int Line, int Column, LogImportance Importance, string? Message)
{
    public static ScanLogEntry For(ContainerDiagnostic diagnostic, string file, int line = 0, int column = 0) =>
        new(diagnostic, file, line, column, LogImportance.Normal, null);

    public static ScanLogEntry Say(LogImportance importance, string message) =>
        new(null, null, 0, 0, importance, message);
}

/// <summary>What a <see cref="PublishedSecretScan"/> found and wrote.</summary>
public sealed class PublishedSecretScanResult
{
    /// <summary>Diagnostics and messages, in order, for the caller to log.</summary>
    public List<ScanLogEntry> Log { get; } = [];

    /// <summary>The findings reported (the baseline's and the disabled rules' left out).</summary>
    public int SecretCount { get; internal set; }

    /// <summary>The SARIF report written, if any.</summary>
    public string? SarifOutput { get; internal set; }
}
