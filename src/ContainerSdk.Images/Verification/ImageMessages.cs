using System;
using System.Globalization;

namespace ContainerSdk.Images.Verification;

/// <summary>
/// The image verification messages, from the package's one catalog (Strings.resx), including CSDK5013's parts (the
/// config variant, the deleted-by and replaced-by clauses). A finding's message reads "CSDKnnnn: text": the severity
/// is the finding's, so the catalog's severity word is dropped here.
/// </summary>
internal static class ImageMessages
{
    public static string Get(string key)
    {
        var text = ContainerSdk.Diagnostics.Messages.Get(key);
        foreach (var word in new[] { "error ", "warning " })
        {
            if (text.StartsWith(word + "CSDK", StringComparison.Ordinal))
            {
                return text.Substring(word.Length);
            }
        }

        return text;
    }

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(key), args);
}
