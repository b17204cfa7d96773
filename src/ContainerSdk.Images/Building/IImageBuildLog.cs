using ContainerSdk.Diagnostics;

namespace ContainerSdk.Images.Building;

/// <summary>How important a progress line is (MSBuild's message importance, without MSBuild).</summary>
public enum ImageLogImportance
{
    High,
    Normal,
    Low,
}

/// <summary>Where the pipeline writes as it goes: progress lines (engine output included, while the engine runs)
/// and diagnostics. The BuildContainerImage task maps it onto its MSBuild log.</summary>
public interface IImageBuildLog
{
    void Message(ImageLogImportance importance, string text);

    void Diagnostic(ContainerDiagnostic diagnostic);
}
