namespace ContainerSdk.Diagnostics;

/// <summary>How prominent a library's progress message is; a task maps it to MSBuild's MessageImportance.</summary>
public enum LogImportance
{
    Low,
    Normal,
    High,
}
