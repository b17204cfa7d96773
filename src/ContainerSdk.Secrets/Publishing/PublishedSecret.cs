namespace ContainerSdk.Secrets;

/// <summary>A secret found in a published file, located both in the publish folder and (when known) in the project.</summary>
public sealed record PublishedSecret(
    SecretMatch Match,
    string PublishedPath,
    string RelativePath,
    int Line,
    int Column,
    string? Member);

/// <summary>Why a file was not (fully) read; logged, and the oversized case becomes CSDK3003.</summary>
public sealed record SkippedFile(string RelativePath, string Reason, long Bytes, bool Truncated, bool Failed = false);
