using System.Collections.Generic;

namespace ContainerSdk.Secrets;

/// <summary>A file the publish copied from the project: where it landed, relative to the publish folder, and its source.</summary>
public sealed record PublishedFile(string RelativePath, string SourcePath);

/// <summary>What the publish-time secret scan is asked to do: the ScanPublishedSecrets task's parameters, without MSBuild.</summary>
public sealed class PublishedSecretScanOptions
{
    /// <summary>The publish folder: every file under it is scanned.</summary>
    public string PublishDirectory { get; set; } = "";

    /// <summary>The project folder: the SARIF source root is the repository above it (the folder holding .git).</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>Maps a published file back to the project file it was copied from, so a finding points at the project.</summary>
    public IReadOnlyList<PublishedFile> PublishedFiles { get; set; } = [];

    /// <summary>Globs relative to the publish folder that are not scanned (*, ** and ?).</summary>
    public IReadOnlyList<string> Exclude { get; set; } = [];

    /// <summary>Where the SARIF 2.1.0 report goes; none when empty.</summary>
    public string? SarifFile { get; set; }

    /// <summary>Accepted findings (CODE FINGERPRINT lines); none when empty.</summary>
    public string? BaselineFile { get; set; }

    /// <summary>Findings are errors rather than warnings.</summary>
    public bool TreatAsErrors { get; set; }

    /// <summary>Codes separated by ';', ',' or spaces ($(NoWarn)): left out of the findings and the report.</summary>
    public string? DisabledRules { get; set; }

    /// <summary>Text files are read up to this size; a larger one is read that far and reported (CSDK3003).</summary>
    public int MaxFileSizeMB { get; set; } = 100;

    /// <summary>Write every current finding to <see cref="BaselineOutputFile"/> instead of reporting it.</summary>
    public bool WriteBaseline { get; set; }

    /// <summary>Where <see cref="WriteBaseline"/> writes; <see cref="BaselineFile"/>, else ContainerSecrets.baseline, when empty.</summary>
    public string? BaselineOutputFile { get; set; }

    /// <summary>The ContainerSdk version the SARIF report names.</summary>
    public string ToolVersion { get; set; } = "0.0.0";
}
