using System.Security.Cryptography;
using System.Text;

namespace ContainerSdk.Text;

/// <summary>
/// The one SHA-256 helper: lowercase hex of the UTF-8 bytes of a text. It seals generated files (GeneratedText) and
/// recognises published example keys (the secret rules, which is why ContainerSdk.Analyzers compiles this file in).
/// </summary>
public static class ContentHash
{
    public static string Sha256Hex(string text)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(64);
        foreach (var b in bytes)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
