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
        // The v1 format is PBKDF2 with this constructor's HMAC-SHA1 default, and committed baselines carry it: it must not
        // change. netstandard2.0 (the analyzer's copy) has no constructor that names the algorithm.
#pragma warning disable SYSLIB0041
        using var kdf = new Rfc2898DeriveBytes(Encoding.UTF8.GetBytes(secret), Salt, Iterations);
#pragma warning restore SYSLIB0041
        var bytes = kdf.GetBytes(16);
        var text = new StringBuilder(Prefix.Length + 32).Append(Prefix);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
