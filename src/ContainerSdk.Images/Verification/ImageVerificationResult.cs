using System.Collections.Generic;

namespace ContainerSdk.Images.Verification;

/// <param name="Code">CSDK5010–CSDK5013.</param>
/// <param name="LayerIndex">0-based index into the image's layers (0 is the base image's first layer, as in the
/// manifest and <see cref="ImageVerificationResult.LayerDigests"/>); -1 for the image config (user, entrypoint, Env, Labels).</param>
/// <param name="Path">The path in the image (/app/.env), or config:User, config:Entrypoint, config:Env, config:Labels.</param>
/// <param name="RuleId">The secret rule (CSDK3xxx) for CSDK5013, else null.</param>
/// <param name="Message">The whole message, starting with the code. It never holds a secret, only a redacted hint.</param>
/// <param name="DeletedInLaterLayer">The file is deleted (whiteout) or replaced by a later layer: gone from the
/// container's file system, still in the image that every pull downloads.</param>
/// <param name="Line">1-based line in the file (or Env/Labels entry number), 0 when not known.</param>
public sealed record ImageFinding(string Code, int LayerIndex, string? LayerDigest, string? Path, string? RuleId, string Message, bool DeletedInLaterLayer, int Line)
{
    /// <summary>CSDK5013: the secret's one-way fingerprint, as the baseline file and SARIF carry it; else null.</summary>
    public string? Fingerprint { get; init; }
}

public sealed class ImageVerificationResult
{
    /// <summary>The config's User as written ("" or null: root).</summary>
    public string? User { get; set; }

    /// <summary>The numeric uid the user runs as, when known (a number, or a name found in the image's /etc/passwd).</summary>
    public string? ResolvedUid { get; set; }

    public IReadOnlyList<string> Entrypoint { get; set; } = [];

    public IReadOnlyList<string> Cmd { get; set; } = [];

    public int LayerCount { get; set; }

    public IReadOnlyList<string> LayerDigests { get; set; } = [];

    public List<ImageFinding> Findings { get; } = [];

    /// <summary>Regular files of all layers that were scanned for secrets (all files, whatever their size).</summary>
    public long FilesScanned { get; set; }

    /// <summary>Their total size (binaries count whole, although only their name and first bytes are read).</summary>
    public long BytesScanned { get; set; }

    /// <summary>Files whose text was read only up to <see cref="ImageVerificationOptions.MaxTextBytes"/>, or that could not be read.</summary>
    public long FilesNotFullyRead { get; set; }

    /// <summary>oci-archive, docker-archive, oci-layout or docker-archive folder.</summary>
    public string? ArchiveFormat { get; set; }
}
