using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace ContainerSdk.Secrets;

/// <summary>
/// The false-positive filters (issue 3 §6): placeholders, documented examples, UUIDs, hashes, public material,
/// natural language, identifiers. Each is a pure function of a value so the corpus can measure it.
/// </summary>
public static class SecretValues
{
    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts.TryGetValue(c, out var n);
            counts[c] = n + 1;
        }

        double entropy = 0;
        foreach (var n in counts.Values)
        {
            var p = (double)n / value.Length;
            entropy -= p * Math.Log(p, 2);
        }

        return entropy;
    }

    /// <summary>How many of lower case, upper case, digits and other printable characters the value uses.</summary>
    public static int CharacterClasses(string value)
    {
        bool lower = false, upper = false, digit = false, other = false;
        foreach (var c in value)
        {
            if (c >= 'a' && c <= 'z') { lower = true; }
            else if (c >= 'A' && c <= 'Z') { upper = true; }
            else if (c >= '0' && c <= '9') { digit = true; }
            else { other = true; }
        }

        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    private static readonly HashSet<string> PlaceholderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "changeme", "changeit", "change_me", "change-me", "changethis", "password", "passwd", "pwd", "secret", "token",
        "apikey", "api_key", "api-key", "key", "none", "null", "nil", "empty", "undefined", "todo", "tbd", "fixme",
        "dummy", "example", "sample", "placeholder", "redacted", "removed", "hidden", "masked", "notset", "not-set",
        "not_set", "unset", "default", "required", "optional", "string", "value", "test", "testing", "foo", "bar",
        "foobar", "admin", "user", "username", "guest", "pass", "secretkey", "mysecret", "mypassword", "yourpassword",
        "your_password", "your-password", "yoursecret", "yourtoken", "yourkey", "replaceme", "replace_me",
        "replace-me", "insert", "enter", "sensitive", "xxx", "abc", "abc123", "123456", "12345678", "qwerty",
        "letmein", "p@ssw0rd", "password1", "password123", "secret123", "hunter2", "welcome", "welcome1",
    };

    /// <summary>Syntax that marks a reference or template, found anywhere in the value.</summary>
    private static readonly string[] ReferenceMarkers =
    [
        "${", "$(", "{{", "}}", "#{", "%(", "<", ">", "@microsoft.keyvault", "keyvault:", "vault:", "secretref:",
        "secret://", "arn:aws:secretsmanager", "arn:aws:ssm", "yourapi", "yourtoken", "yoursecret", "yourkey",
        "yourpass", "replaceme", "changeme", "notreal", "placeholder", "redacted",
    ];

    /// <summary>Whole words that mark a stand-in ("your-api-key-here", "REPLACE_WITH_TOKEN", "fake_key_123").</summary>
    private static readonly HashSet<string> PlaceholderWordParts = new(StringComparer.Ordinal)
    {
        "your", "yours", "replace", "insert", "enter", "change", "example", "examples", "sample", "dummy", "fake",
        "here", "todo", "fixme", "tbd", "foo", "bar", "foobar", "lorem", "ipsum", "demo", "mock",
    };

    /// <summary>
    /// ${VAR}, $(Var), {{ var }}, %VAR%, &lt;your-key&gt;, __VAR__, #{Var}#, changeme, xxxx..., ****, {0}, Key Vault
    /// references, and words everybody uses as a stand-in. Words are matched whole: a random token may contain
    /// "put" or "xxxx" by chance, never the word "your" between separators.
    /// </summary>
    public static bool IsPlaceholder(string value)
    {
        var v = value.Trim();
        if (v.Length == 0)
        {
            return true;
        }

        if (PlaceholderWords.Contains(v) || IsMasked(v))
        {
            return true;
        }

        var lower = v.ToLowerInvariant();
        foreach (var marker in ReferenceMarkers)
        {
            if (lower.IndexOf(marker, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        if (lower.StartsWith("env:", StringComparison.Ordinal) || lower.StartsWith("ssm:", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var word in lower.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (PlaceholderWordParts.Contains(word) || PlaceholderWords.Contains(word) || IsRunOfX(word))
            {
                return true;
            }
        }

        // %VAR%, __VAR__, {0}, [VAR], $VAR, :var, and MSBuild's $(Property), @(Item), %(Metadata)
        if ((v.Length > 2 && v[0] == '%' && v[v.Length - 1] == '%')
            || (v.Length > 3 && (v[0] == '$' || v[0] == '@' || v[0] == '%') && v[1] == '(' && v[v.Length - 1] == ')')
            || (v.StartsWith("__", StringComparison.Ordinal) && v.EndsWith("__", StringComparison.Ordinal))
            || (v[0] == '{' && v[v.Length - 1] == '}')
            || (v[0] == '[' && v[v.Length - 1] == ']')
            || (v[0] == '$' && v.Length > 1 && IsIdentifierLike(v.Substring(1)))
            || (v[0] == ':' && v.Length > 1 && IsIdentifierLike(v.Substring(1))))
        {
            return true;
        }

        return IsLowDiversity(v);
    }

    private static readonly char[] WordSeparators = ['-', '_', '.', ' ', '/', ':', '+', '=', '@', ',', ';'];

    /// <summary>"xxx", "XXXXXXXX": a masked word.</summary>
    private static bool IsRunOfX(string word)
    {
        if (word.Length < 3)
        {
            return false;
        }

        foreach (var c in word)
        {
            if (c != 'x')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A word standing in for a credential in documentation: mypass, old_password, clientSecret, MyApiKey. Used for
    /// values recognised by their name (connection strings, keys), not for provider tokens, whose random letters could
    /// spell "key" by chance.
    /// </summary>
    public static bool IsStandIn(string value)
    {
        if (IsPlaceholder(value))
        {
            return true;
        }

        if (!IsIdentifierLike(value))
        {
            return false;
        }

        var lower = value.ToLowerInvariant();
        foreach (var word in new[] { "pass", "pwd", "secret", "token", "key", "cred", "user", "login", "admin" })
        {
            if (lower.IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"***", "xxx", "•••", "...": a value shown masked, of any length.</summary>
    public static bool IsMasked(string value)
    {
        foreach (var c in value)
        {
            if (c != '*' && c != 'x' && c != 'X' && c != '•' && c != '.' && c != '#' && c != '?')
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    /// <summary>"xxxxxxxx", "00000000", "abababab", "abcdefgh12345678": too few distinct or too sequential to be random.</summary>
    public static bool IsLowDiversity(string value)
    {
        if (value.Length < 6)
        {
            return false;
        }

        var distinct = new HashSet<char>(value).Count;
        if (distinct <= 3 || (value.Length >= 16 && distinct <= 5))
        {
            return true;
        }

        var sequential = 0;
        for (var i = 1; i < value.Length; i++)
        {
            var d = value[i] - value[i - 1];
            if (d == 1 || d == 0)
            {
                sequential++;
            }
        }

        return sequential * 10 >= (value.Length - 1) * 6;
    }

    /// <summary>AWS's documented keys end in EXAMPLE; many docs use "example", "sample"... inside values.</summary>
    public static bool IsDocumentedExample(string value)
    {
        if (value.IndexOf("EXAMPLE", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        return KnownExampleHashes.Contains(Sha256(value));
    }

    /// <summary>
    /// SHA-256 of widely published example or emulator values (jwt.io's sample token, the Azurite storage
    /// emulator's account key, Stripe's and GitHub's documentation keys). Kept as hashes so no key-shaped value is committed.
    /// </summary>
    private static readonly HashSet<string> KnownExampleHashes = new(StringComparer.Ordinal)
    {
        // jwt.io default HS256 token (sub 1234567890, name John Doe)
        "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606",
        // Azurite / storage emulator devstoreaccount1 key
        "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059",
        // Stripe's documentation test secret key
        "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
        // GitHub's documentation example personal access token
        "3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da",
    };

    internal static string Sha256(string value)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(value));
        var text = new StringBuilder(64);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

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

    /// <summary>Letters only, optionally split by . _ - : / (Production, HS256 is not, my-key-name, Microsoft.AspNetCore).</summary>
    public static bool IsIdentifierLike(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '.' && c != '_' && c != '-' && c != ':' && c != '/')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A name made of words: TestProjectRetargetTo35Allowed, defaultSigningCredentials. Random values almost never
    /// read as a run of capitalised words (a capital followed by a capital or a digit breaks the pattern), and never
    /// with three quarters of their length in words of three or more letters.
    /// </summary>
    public static bool IsWordsIdentifier(string value)
    {
        var longWords = 0;
        var longWordChars = 0;
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            var start = i;
            if (c >= '0' && c <= '9')
            {
                while (i < value.Length && value[i] >= '0' && value[i] <= '9')
                {
                    i++;
                }

                if (i - start > 4)
                {
                    return false;
                }

                continue;
            }

            if (c >= 'A' && c <= 'Z')
            {
                i++;
            }

            var lowerStart = i;
            while (i < value.Length && value[i] >= 'a' && value[i] <= 'z')
            {
                i++;
            }

            var lowers = i - lowerStart;
            if (lowers == 0 || (i < value.Length && !char.IsLetterOrDigit(value[i]) && value[i] != '_' && value[i] != '-' && value[i] != '.'))
            {
                return false;
            }

            if (lowers >= 3)
            {
                longWords++;
                longWordChars += i - start;
            }

            if (i < value.Length && (value[i] == '_' || value[i] == '-' || value[i] == '.'))
            {
                i++;
            }
        }

        // Mostly made of real-looking words, not a random value that happens to have a few.
        return longWords >= 2 && longWordChars * 4 >= value.Length * 3;
    }

    /// <summary>1.2.3, 7.9.0-rc.42413, 10.0.0+abc, and NuGet ranges such as [8.0.0, ) or (,10.0.32767]: a version.</summary>
    public static bool IsVersion(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, @"^v?[0-9]+(\.[0-9]+){1,3}(-[0-9A-Za-z.\-]+)?(\+[0-9A-Za-z.\-]+)?$")
        || System.Text.RegularExpressions.Regex.IsMatch(value, @"^[\[(]\s*([0-9][0-9A-Za-z.\-+]*)?\s*,?\s*([0-9][0-9A-Za-z.\-+]*)?\s*[\])]$");

    /// <summary>Words separated by spaces: a sentence, a description, a display name.</summary>
    public static bool IsNaturalLanguage(string value)
    {
        var spaces = 0;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                spaces++;
            }
        }

        return spaces >= 1;
    }

    /// <summary>Public keys and certificates: not secret by design.</summary>
    public static bool IsPublicMaterial(string value) =>
        value.StartsWith("ssh-rsa ", StringComparison.Ordinal) || value.StartsWith("ssh-ed25519 ", StringComparison.Ordinal)
        || value.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) || value.StartsWith("ssh-dss ", StringComparison.Ordinal)
        || value.IndexOf("BEGIN PUBLIC KEY", StringComparison.Ordinal) >= 0 || value.IndexOf("BEGIN CERTIFICATE", StringComparison.Ordinal) >= 0
        || value.IndexOf("BEGIN RSA PUBLIC KEY", StringComparison.Ordinal) >= 0 || value.StartsWith("pk_live_", StringComparison.Ordinal)
        || value.StartsWith("pk_test_", StringComparison.Ordinal);

    /// <summary>URLs (without credentials), file paths, numbers, booleans, dates, versions, e-mail addresses.</summary>
    public static bool IsStructuredNonSecret(string value)
    {
        var v = value.Trim();
        if (v.Length == 0)
        {
            return true;
        }

        var lower = v.ToLowerInvariant();
        if (lower is "true" or "false" or "yes" or "no" or "on" or "off")
        {
            return true;
        }

        var scheme = v.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && v.IndexOf('@', scheme) < 0)
        {
            return true;
        }

        if (IsPath(v))
        {
            return true;
        }

        var numeric = true;
        foreach (var c in v)
        {
            if (!(c >= '0' && c <= '9') && c != '.' && c != ':' && c != '-' && c != 'T' && c != 'Z' && c != '+' && c != ',')
            {
                numeric = false;
                break;
            }
        }

        if (numeric)
        {
            return true;
        }

        var at = v.IndexOf('@');
        return at > 0 && v.IndexOf('.', at) > at && v.IndexOf(':') < 0 && v.IndexOf('/') < 0 && IsEmailish(v);
    }

    /// <summary>
    /// /app/models/model.onnx, ./data, ~/.aws, C:\\keys: a path. A base64 value may start with '/' too, so a rooted
    /// value must look like path segments (names, no '+' or '=').
    /// </summary>
    private static bool IsPath(string v)
    {
        if (v.StartsWith("./", StringComparison.Ordinal) || v.StartsWith("../", StringComparison.Ordinal) || v.StartsWith("~/", StringComparison.Ordinal)
            || (v.Length > 2 && v[1] == ':' && (v[2] == '\\' || v[2] == '/')) || v.IndexOf('\\') >= 0)
        {
            return true;
        }

        if (v[0] != '/' || v.IndexOf('+') >= 0 || v.IndexOf('=') >= 0)
        {
            return false;
        }

        // Path segments are names: lower case, or without digits (/app/models, /Users/Dev/Library, /opt/x86_64).
        // Random base64 segments mix upper case and digits.
        foreach (var segment in v.Split(['/'], StringSplitOptions.RemoveEmptyEntries))
        {
            var upper = false;
            var digit = false;
            foreach (var c in segment)
            {
                upper |= c >= 'A' && c <= 'Z';
                digit |= c >= '0' && c <= '9';
            }

            if (upper && digit)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEmailish(string v)
    {
        foreach (var c in v)
        {
            if (!(char.IsLetterOrDigit(c) || c is '@' or '.' or '-' or '_' or '+'))
            {
                return false;
            }
        }

        return true;
    }
}
