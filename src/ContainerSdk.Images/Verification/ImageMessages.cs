using System;
using System.Collections.Generic;
using System.Globalization;

namespace ContainerSdk.Images.Verification;

/// <summary>
/// The text of the image verification messages, in one place until they move to Strings.resx (same shape: the text
/// starts with the code, string.Format placeholders).
/// </summary>
internal static class ImageMessages
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["CSDK5013.Deleted"] = "; deleted by layer {0}, but deleting a file in a later layer does not remove it from the layer that added it",
        ["CSDK5013.Replaced"] = "; replaced by layer {0}, but overwriting a file in a later layer does not remove it from the layer that added it",
        ["CSDK5013.Config"] = "CSDK5013: the image config's {0} (entry {1}) holds a secret: {2} {3} ({4}). `docker inspect` shows it to anyone who can pull the image. Do not bake it in with ENV, LABEL or ContainerEnvironmentVariable; pass it at run time (environment, a mounted Kubernetes Secret), and rotate it: it has shipped.",
    };

    /// <summary>A code's message comes from the package's one catalog (Strings.resx); the variants of CSDK5013 (a
    /// config entry, the deleted-by and replaced-by clauses) are here.</summary>
    public static string Get(string key) =>
        Texts.TryGetValue(key, out var text) ? text : ContainerSdk.Diagnostics.Messages.Get(key);

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(key), args);
}
