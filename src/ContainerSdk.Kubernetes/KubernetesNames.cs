using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Kubernetes;

/// <summary>
/// Kubernetes object names from project names. A Service name must be an RFC 1035 label (lowercase letters, digits
/// and '-', starting with a letter, ending with a letter or digit, at most 63 characters), which is also a valid
/// RFC 1123 (DNS-1123) label and a valid Deployment and InferenceService name; one name serves them all.
/// </summary>
public static class KubernetesNames
{
    public const int MaxLength = 63;

    private static readonly Regex Rfc1035 = new("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    /// <summary>Label values: at most 63 of [A-Za-z0-9._-], beginning and ending with a letter or digit.</summary>
    private static readonly Regex LabelValue = new("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant);

    public static bool IsValidName(string name) => name.Length <= MaxLength && Rfc1035.IsMatch(name);

    /// <summary>
    /// The last path segment of <paramref name="source"/> (a repository like <c>my-org/My_Gpu.Service</c>), lowercased,
    /// every run of other characters turned into one '-', trimmed of '-' at both ends, "app-" in front when it starts
    /// with a digit, cut to 63 characters. Null when nothing usable is left (e.g. "___").
    /// </summary>
    public static string? FromProjectName(string? source)
    {
        string text = (source ?? "").Trim().TrimEnd('/');
        text = text.Substring(text.LastIndexOf('/') + 1).ToLowerInvariant();
        var name = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            bool ok = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (ok)
            {
                name.Append(c);
            }
            else if (name.Length > 0 && name[name.Length - 1] != '-')
            {
                name.Append('-');
            }
        }

        string result = name.ToString().Trim('-');
        if (result.Length == 0)
        {
            return null;
        }

        if (result[0] is >= '0' and <= '9')
        {
            result = "app-" + result;
        }

        if (result.Length > MaxLength)
        {
            result = result.Substring(0, MaxLength).TrimEnd('-');
        }

        return IsValidName(result) ? result : null;
    }

    /// <summary>A label value from free text (a version like <c>1.2.3+build.5</c>): other characters become '_', cut to 63
    /// characters and trimmed to end in a letter or digit; null when nothing is left.</summary>
    public static string? LabelValueFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string value = new(text!.Trim().Select(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.' ? c : '_').ToArray());
        if (value.Length > MaxLength)
        {
            value = value.Substring(0, MaxLength);
        }

        value = value.Trim('-', '_', '.');
        return value.Length > 0 && LabelValue.IsMatch(value) ? value : null;
    }
}
