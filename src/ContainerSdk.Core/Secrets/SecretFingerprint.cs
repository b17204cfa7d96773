using System.Security.Cryptography;
using System.Text;

namespace ContainerSdk.Secrets;

/// <summary>
/// A stable, one-way identity for a secret value: the baseline file and SARIF carry this, never the value.
/// PBKDF2 rather than one SHA-256 because baselines are committed and some secrets (passwords) are guessable: a slow
/// hash makes a dictionary attack on a committed baseline expensive. The value alone is hashed (not its file or
/// line), so one baseline entry covers the same secret in appsettings.json, in a C# literal and in the compiled dll.
/// </summary>
public static class SecretFingerprint
{
    public const string Prefix = "v1:";

    private const int Iterations = 4096;

    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("ContainerSdk.Secrets.Fingerprint.v1");

    public static string Compute(string secret)
    {
        using var kdf = new Rfc2898DeriveBytes(Encoding.UTF8.GetBytes(secret), Salt, Iterations);
        var bytes = kdf.GetBytes(16);
        var text = new StringBuilder(Prefix.Length + 32).Append(Prefix);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
