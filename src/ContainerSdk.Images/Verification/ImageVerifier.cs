using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Verification;

/// <summary>
/// Verifies a built image from its saved archive (docker save, podman save, buildah push oci-archive:, or an OCI
/// layout folder): a non-root user that exists (CSDK5010, CSDK5011), an entrypoint (CSDK5012), and no secret in any
/// layer, even in a file that a later layer deletes — deleting does not remove it from the image (CSDK5013). The
/// secret rules are the package's one rule set, applied by <see cref="SecretFileScanner"/> as for published files.
/// </summary>
public static partial class ImageVerifier
{
    public const string RootUser = "CSDK5010";
    public const string UnknownUser = "CSDK5011";
    public const string NoEntrypoint = "CSDK5012";
    public const string SecretInLayer = "CSDK5013";
    public const string ArchiveUnreadable = "CSDK5014";

    private const string ConfigPrefix = "config:";
    private const int MaxAccountFileBytes = 4 << 20;

    /// <exception cref="ImageArchiveException">CSDK5014: the archive cannot be read.</exception>
    public static ImageVerificationResult Verify(string archiveOrLayoutPath, ImageVerificationOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        using var archive = ImageArchive.Open(archiveOrLayoutPath);
        var container = ContainerConfig(archive.Config);
        var result = new ImageVerificationResult
        {
            ArchiveFormat = archive.Format,
            User = GetString(container, "User"),
            Entrypoint = GetStrings(container, "Entrypoint"),
            Cmd = GetStrings(container, "Cmd"),
            LayerCount = archive.Layers.Count,
            LayerDigests = archive.Layers.Select(l => l.Digest ?? "").ToList(),
        };

        var walk = new LayerWalk(options, result);
        var secrets = options.CheckSecrets && !options.DisabledRules.Contains(SecretInLayer);
        foreach (var layer in secrets || (options.CheckUser && NeedsAccountFiles(result.User)) ? archive.Layers : [])
        {
            try
            {
                walk.Read(archive, layer);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
            {
                throw new ImageArchiveException(Path.GetFullPath(archiveOrLayoutPath),
                    string.Format(CultureInfo.InvariantCulture, "layer {0} ({1}) cannot be read: {2}", layer.Index, layer.Digest, e.Message), e);
            }
        }

        var findings = new List<ImageFinding>();
        if (options.CheckUser)
        {
            CheckUser(result, walk, options, findings);
        }

        if (options.CheckEntrypoint && !options.DisabledRules.Contains(NoEntrypoint)
            && result.Entrypoint.All(string.IsNullOrEmpty) && result.Cmd.All(string.IsNullOrEmpty))
        {
            findings.Add(new ImageFinding(NoEntrypoint, -1, null, ConfigPrefix + "Entrypoint", null, ImageMessages.Format(NoEntrypoint), false, 0));
        }

        if (secrets)
        {
            ScanConfig("Env", GetStrings(container, "Env"), walk);
            ScanConfig("Labels", GetLabels(container), walk);
            findings.AddRange(walk.SecretFindings(archive.Layers));
        }

        result.Findings.AddRange(findings);
        return result;
    }
}
