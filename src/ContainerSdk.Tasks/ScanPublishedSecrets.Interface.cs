using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// After publish, scans what really ships — every file of the publish folder, including NuGet content and the
/// strings compiled into each .dll — with the same rules as the analyzer. Findings become MSBuild warnings (errors
/// with ContainerSecretsAsErrors) located at the project file they came from when known, and a SARIF 2.1.0 report.
/// The parameters, as sdk/build/ContainerSdk.Secrets.targets sets them; the scan is ContainerSdk.Secrets'
/// <c>PublishedSecretScan</c>.
/// </summary>
public sealed partial class ScanPublishedSecrets : Microsoft.Build.Utilities.Task
{
    /// <summary>The publish folder ($(PublishDir)): every file under it is scanned.</summary>
    [Required] public string PublishDirectory { get; set; } = "";

    /// <summary>The project folder: the SARIF source root is the repository above it (the folder holding .git).</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>@(ResolvedFileToPublish): maps a published file back to the project file it was copied from.</summary>
    public ITaskItem[] PublishedItems { get; set; } = [];

    /// <summary>@(ContainerSecretsExclude): globs relative to the publish folder that are not scanned.</summary>
    public ITaskItem[] Exclude { get; set; } = [];

    /// <summary>$(ContainerSecretsSarif), resolved: where the SARIF report goes; none when empty.</summary>
    public string? SarifFile { get; set; }

    /// <summary>$(ContainerSecretsBaseline), resolved: the accepted findings; none when empty.</summary>
    public string? BaselineFile { get; set; }

    /// <summary>$(ContainerSecretsAsErrors): findings are errors rather than warnings.</summary>
    public bool TreatAsErrors { get; set; }

    /// <summary>$(NoWarn): codes listed there are left out of the SARIF report too (MSBuild already hides the warnings).</summary>
    public string? DisabledRules { get; set; }

    /// <summary>$(ContainerSecretsMaxFileSizeMB): text files are read up to this size.</summary>
    public int MaxFileSizeMB { get; set; } = 100;

    /// <summary>Write every current finding to <see cref="BaselineOutputFile"/> instead of reporting it.</summary>
    public bool WriteBaseline { get; set; }

    /// <summary>Where <see cref="WriteBaseline"/> writes the baseline.</summary>
    public string? BaselineOutputFile { get; set; }

    /// <summary>$(ContainerSdkVersion), named in the SARIF report.</summary>
    public string ToolVersion { get; set; } = "0.0.0";

    /// <summary>The findings reported ($(ContainerSecretsCount)).</summary>
    [Output] public int SecretCount { get; set; }

    /// <summary>The SARIF report written, if any ($(ContainerSecretsSarifOutput)).</summary>
    [Output] public string? SarifOutput { get; set; }
}
