using ContainerSdk.Diagnostics;

namespace ContainerSdk.Images.Building;

/// <summary>Where the pipeline writes as it goes: progress lines (engine output included, while the engine runs)
/// and diagnostics. The BuildContainerImage task maps it onto its MSBuild log.</summary>
public interface IImageBuildLog
{
    void Message(LogImportance importance, string text);

    void Diagnostic(ContainerDiagnostic diagnostic);
}
