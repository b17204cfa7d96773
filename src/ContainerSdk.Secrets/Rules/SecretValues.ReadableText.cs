using System;

namespace ContainerSdk.Secrets;

/// <summary>Values a person wrote to be read: identifiers, versions, prose, URLs, paths, numbers, dates, e-mail addresses.</summary>
public static partial class SecretValues
{
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
