using System;
using System.Collections.Generic;
using ContainerSdk.Text;

namespace ContainerSdk.Secrets;

/// <summary>Values that stand in for a secret: placeholders and templates, stand-in words, masked values, documented examples.</summary>
public static partial class SecretValues
{
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

    /// <summary>AWS's documented keys end in EXAMPLE; many docs use "example", "sample"... inside values.</summary>
    public static bool IsDocumentedExample(string value)
    {
        if (value.IndexOf("EXAMPLE", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        return KnownExampleHashes.Contains(ContentHash.Sha256Hex(value));
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
}
