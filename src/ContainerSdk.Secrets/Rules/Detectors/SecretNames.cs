using System;
using System.Collections.Generic;
using System.Text;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>
/// Decides whether a configuration key is named like a secret. Only the last segment counts
/// ("Authentication:Google:ClientSecret" → ClientSecret; "Kestrel__Certificates__Default__Password" → Password), split
/// into words (camelCase, snake_case, kebab-case). Setting names *about* a secret (PasswordFormat, TokenEndpoint,
/// SecretName, KeyVaultUrl, PublicKey, MaxTokens...) are not secrets.
/// </summary>
public static class SecretNames
{
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "password", "passwd", "passphrase", "pwd", "secret", "secrets", "token", "credential", "credentials",
        "apikey", "privatekey", "accesskey", "secretkey", "pw", "pass",
    };

    private static readonly string[] SecretJoined =
    [
        "apikey", "accesskey", "privatekey", "secretkey", "authtoken", "authkey", "clientsecret", "signingkey",
        "encryptionkey", "masterkey", "sharedkey", "subscriptionkey", "webhooksecret", "hmackey", "jwtkey", "sastoken",
        "appsecret", "accesstoken", "refreshtoken", "bearertoken", "password", "passwd", "passphrase", "secret",
        "credential", "connectionpassword", "serviceaccountkey", "storagekey", "accountkey",
    ];

    /// <summary>Last words that make a name describe a secret rather than hold one.</summary>
    private static readonly HashSet<string> DescriptiveLastWords = new(StringComparer.Ordinal)
    {
        "name", "names", "path", "paths", "file", "files", "filename", "dir", "directory", "folder", "url", "uri", "urls",
        "endpoint", "endpoints", "host", "format", "length", "len", "type", "types", "mode", "id", "ids", "header",
        "prefix", "suffix", "size", "count", "expiry", "expiration", "expires", "expire", "lifetime", "lifespan",
        "timeout", "ttl", "duration", "days", "hours", "minutes", "seconds", "interval", "version", "provider",
        "providers", "location", "enabled", "disabled", "enable", "required", "require", "policy", "policies", "issuer",
        "audience", "audiences", "algorithm", "alg", "scheme", "schemes", "field", "kind", "hint", "label",
        "description", "title", "text", "message", "hash", "hashed", "checksum", "digest", "integrity", "thumbprint",
        "fingerprint", "etag", "rotation", "store", "vault", "reference", "ref", "source", "options", "settings",
        "config", "configuration", "validation", "validator", "regex", "pattern", "placeholder", "template", "env",
        "variable", "var", "cookie", "claim", "claims", "query", "param", "parameter", "class", "handler", "service",
        "mask", "visible", "strength", "complexity", "attempts", "retries", "reset", "lockout", "policy", "rules",
        "characters", "chars", "digits", "uppercase", "lowercase", "nonalphanumeric", "unique", "uniquechars", "store",
        "manager", "generator", "factory", "type", "kind", "length", "usage", "usages", "encoding", "cache", "location",
        "audit", "log", "logging", "level", "metadata", "method", "methods", "flow", "grant", "response", "request",
        "signing", "validity", "refresh", "renewal", "limit", "limits", "max", "min", "format", "store", "vaulturi",
    };

    /// <summary>Words that make any name non-secret wherever they appear.</summary>
    private static readonly HashSet<string> NonSecretWords = new(StringComparer.Ordinal)
    {
        "public", "publishable", "tokenizer", "tokenizers", "keyword", "keywords", "keyboard", "monkey", "turkey",
        "donkey", "keyframe", "keyframes", "keycode", "keyup", "keydown", "keypress", "max", "min", "num",
    };

    /// <summary>Words before a final "key" that name a data key, not a cryptographic one.</summary>
    private static readonly HashSet<string> NonSecretKeyPrefixes = new(StringComparer.Ordinal)
    {
        "partition", "row", "sort", "primary", "foreign", "cache", "route", "lookup", "resource", "localization",
        "translation", "hot", "shortcut", "idempotency", "registry", "dictionary", "map", "group", "sequence",
        "composite", "natural", "surrogate", "unique", "index", "search", "order", "property", "setting", "settings",
        "config", "configuration", "session", "entity", "object", "item", "record", "table", "column", "hash",
        "sharding", "shard", "routing", "dedup", "deduplication", "message", "event", "metric", "label", "tag", "name",
        "display", "json", "header", "query", "form", "field", "data", "instrumentation", "feature", "flag", "cursor",
        "sku", "product", "region", "tenant", "locale", "culture", "language", "host", "license", "public",
        // GPG_KEY=<fingerprint> in base images' Env (python, node) names the public key that verified a download; an
        // armored private key is caught by the private-key rule whatever its name.
        "gpg", "pgp", "gnupg",
    };

    public static bool IsSecretName(string key)
    {
        var words = Words(LastSegment(key));
        if (words.Count == 0)
        {
            return false;
        }

        foreach (var w in words)
        {
            if (NonSecretWords.Contains(w))
            {
                return false;
            }
        }

        var last = words[words.Count - 1];
        if (words.Count > 1 && DescriptiveLastWords.Contains(last))
        {
            return false;
        }

        if (last == "key")
        {
            return words.Count == 1 || !NonSecretKeyPrefixes.Contains(words[words.Count - 2])
                || (words.Count > 2 && SecretWords.Contains(words[words.Count - 3]));
        }

        foreach (var w in words)
        {
            if (SecretWords.Contains(w))
            {
                return true;
            }
        }

        var joined = string.Concat(words);
        foreach (var s in SecretJoined)
        {
            if (joined.IndexOf(s, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Password-like names accept shorter, lower-entropy values than key/token-like names.</summary>
    public static bool IsPasswordName(string key)
    {
        var joined = string.Concat(Words(LastSegment(key)));
        return joined.IndexOf("password", StringComparison.Ordinal) >= 0 || joined.IndexOf("passwd", StringComparison.Ordinal) >= 0
            || joined.IndexOf("passphrase", StringComparison.Ordinal) >= 0 || joined.EndsWith("pwd", StringComparison.Ordinal)
            || joined == "pass" || joined == "pw";
    }

    internal static string LastSegment(string key)
    {
        var k = key.Trim().Trim('"', '\'', '[', ']');
        var cut = Math.Max(k.LastIndexOf(':'), Math.Max(k.LastIndexOf('.'), k.LastIndexOf('/')));
        var dunder = k.LastIndexOf("__", StringComparison.Ordinal);
        if (dunder + 2 > cut + 1 && dunder >= 0)
        {
            cut = dunder + 1;
        }

        return cut >= 0 && cut < k.Length - 1 ? k.Substring(cut + 1) : k;
    }

    /// <summary>"ClientSecret" → client, secret; "DB_PASSWORD" → db, password; "apiKEY" → api, key.</summary>
    internal static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(words, current);
                continue;
            }

            if (current.Length > 0 && char.IsUpper(c))
            {
                var prev = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && nextIsLower))
                {
                    Flush(words, current);
                }
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush(words, current);
        return words;
    }

    private static void Flush(List<string> words, StringBuilder current)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString());
            current.Clear();
        }
    }
}
