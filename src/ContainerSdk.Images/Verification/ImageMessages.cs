using System.Globalization;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Images.Verification;

/// <summary>
/// The image verification messages, from the package's one catalog (Strings.resx), including CSDK5013's parts (the
/// config variant, the deleted-by and replaced-by clauses). A finding's message reads "CSDKnnnn: text": the severity
/// is the finding's, so only the catalog's format is taken.
/// </summary>
internal static class ImageMessages
{
    public static string Get(string key) => Messages.WithoutSeverity(key);

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(key), args);
}
