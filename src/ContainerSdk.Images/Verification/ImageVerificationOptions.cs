using System;
using System.Collections.Generic;
using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Verification;

public sealed class ImageVerificationOptions
{
    /// <summary>CSDK5010/CSDK5011: the image must run as a non-root user that exists.</summary>
    public bool CheckUser { get; set; } = true;

    /// <summary>CSDK5012: the image must have an entrypoint or a command.</summary>
    public bool CheckEntrypoint { get; set; } = true;

    /// <summary>CSDK5013: no file of any layer, and no Env or Labels entry of the config, may hold a secret.</summary>
    public bool CheckSecrets { get; set; } = true;

    /// <summary>Text files are read up to this many bytes (the publish scan's ContainerSecretsMaxFileSizeMB).</summary>
    public long MaxTextBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Secret rule ids (CSDK3xxx) and image codes (CSDK501x) that are not reported.</summary>
    public ISet<string> DisabledRules { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Accepted secret fingerprints (the publish scan's baseline file).</summary>
    public SecretBaseline? Baseline { get; set; }
}
