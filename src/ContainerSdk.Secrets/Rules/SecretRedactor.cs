using System;
using System.Globalization;

namespace ContainerSdk.Secrets;

/// <summary>
/// Builds the only text about a secret that may be shown: the rule's public prefix (ghp_, AKIA, ...) or the name it was
/// assigned to, and the length. Never more than a third of the value, never its end.
/// </summary>
public static class SecretRedactor
{
    public const char Ellipsis = '…';

    /// <summary>"ghp_…(40 chars)". The prefix is capped at a third of the secret and at 12 characters.</summary>
    public static string Hint(string secret, int publicPrefixLength)
    {
        var visible = Math.Max(0, Math.Min(Math.Min(publicPrefixLength, 12), secret.Length / 3));
        return secret.Substring(0, visible) + Ellipsis + Length(secret.Length);
    }

    /// <summary>"Password=…(12 chars)" for a value assigned to a name; the name is not secret, the value is hidden.</summary>
    public static string Named(string name, string separator, string secret) =>
        Printable(name, 40) + separator + Ellipsis + Length(secret.Length);

    private static string Length(int length) => "(" + length.ToString(CultureInfo.InvariantCulture) + " chars)";

    /// <summary>Names come from files we scan: keep them short and free of control characters for logs and SARIF.</summary>
    public static string Printable(string text, int max)
    {
        var chars = new char[Math.Min(text.Length, max)];
        for (var i = 0; i < chars.Length; i++)
        {
            var c = text[i];
            chars[i] = char.IsControl(c) ? '?' : c;
        }

        var result = new string(chars);
        return text.Length > max ? result + Ellipsis : result;
    }
}
