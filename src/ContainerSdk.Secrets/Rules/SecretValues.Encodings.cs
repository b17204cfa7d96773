using System;

namespace ContainerSdk.Secrets;

/// <summary>Self-describing encodings that are not secret, or not by themselves: UUIDs, hex, hash formats, base64, public keys.</summary>
public static partial class SecretValues
{
    public static bool IsUuid(string value)
    {
        var v = value.Trim('{', '}', '(', ')');
        if (v.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < v.Length; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? v[i] != '-' : !IsHex(v[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

    public static bool IsHexString(string value)
    {
        foreach (var c in value)
        {
            if (!IsHex(c))
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    /// <summary>
    /// Password hashes, digests and machine-bound ciphertext in their self-describing formats (bcrypt, argon2, scrypt,
    /// crypt(3), ASP.NET Identity, DPAPI, SRI "sha512-..."). A bare hex value is only treated as a hash where its name says so (see the key rule).
    /// </summary>
    public static bool IsHashFormat(string value)
    {
        if (value.StartsWith("$2a$", StringComparison.Ordinal) || value.StartsWith("$2b$", StringComparison.Ordinal)
            || value.StartsWith("$2y$", StringComparison.Ordinal) || value.StartsWith("$argon2", StringComparison.Ordinal)
            || value.StartsWith("$scrypt$", StringComparison.Ordinal) || value.StartsWith("$6$", StringComparison.Ordinal)
            || value.StartsWith("$5$", StringComparison.Ordinal) || value.StartsWith("$pbkdf2", StringComparison.Ordinal)
            || value.StartsWith("$1$", StringComparison.Ordinal))
        {
            return true;
        }

        // Windows DPAPI-protected values (NuGet's encrypted Password, ...): ciphertext bound to one machine and user.
        if (value.StartsWith("AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA", StringComparison.Ordinal))
        {
            return true;
        }

        // ASP.NET Core Identity v3 hashes: base64 of 0x01 + PRF + iterations + salt + subkey.
        if (value.StartsWith("AQAAAA", StringComparison.Ordinal) && value.Length >= 60 && IsBase64(value))
        {
            return true;
        }

        // Subresource integrity and similar algorithm-prefixed digests.
        foreach (var prefix in new[] { "sha256-", "sha384-", "sha512-", "sha1-", "md5-", "sha256:", "sha512:", "sha1:" })
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsBase64(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsLetterOrDigit(c) && c < 128) && c != '+' && c != '/' && c != '=' && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Public keys and certificates: not secret by design.</summary>
    public static bool IsPublicMaterial(string value) =>
        value.StartsWith("ssh-rsa ", StringComparison.Ordinal) || value.StartsWith("ssh-ed25519 ", StringComparison.Ordinal)
        || value.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) || value.StartsWith("ssh-dss ", StringComparison.Ordinal)
        || value.IndexOf("BEGIN PUBLIC KEY", StringComparison.Ordinal) >= 0 || value.IndexOf("BEGIN CERTIFICATE", StringComparison.Ordinal) >= 0
        || value.IndexOf("BEGIN RSA PUBLIC KEY", StringComparison.Ordinal) >= 0 || value.StartsWith("pk_live_", StringComparison.Ordinal)
        || value.StartsWith("pk_test_", StringComparison.Ordinal);
}
