using System;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>
/// A provider token recognised by its format. The pattern names the secret "s" and its public prefix "p" (ghp_,
/// AKIA, ...); the part after the prefix must not be a placeholder, a documented example, or too uniform to be random.
/// </summary>
internal class TokenDetector : SecretDetector
{
    private readonly Regex pattern;
    private readonly int minBodyClasses;
    private readonly Func<string, bool>? validate;

    public TokenDetector(SecretRule rule, string pattern, SecretKeyword[] keywords, int minBodyClasses = 2, Func<string, bool>? validate = null)
        : base(rule, Provider, keywords)
    {
        this.pattern = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);
        this.minBodyClasses = minBodyClasses;
        this.validate = validate;
    }

    internal override void DetectRegion(ScanContext context, int start, int end)
    {
        for (var m = pattern.Match(context.Text, start, end - start); m.Success; m = m.NextMatch())
        {
            var s = m.Groups["s"];
            var secret = TrimSentenceEnd(s.Value);
            var prefixLength = m.Groups["p"].Success ? m.Groups["p"].Length : 0;
            var body = secret.Substring(Math.Min(prefixLength, secret.Length));
            if (body.Length == 0 || SecretValues.IsPlaceholder(body) || SecretValues.IsDocumentedExample(secret)
                || SecretValues.CharacterClasses(body) < minBodyClasses || (validate is not null && !validate(secret)))
            {
                continue;
            }

            context.Add(this, s.Index, secret.Length, secret, SecretRedactor.Hint(secret, prefixLength));
        }
    }

    /// <summary>A token at the end of a sentence keeps its characters, not the full stop.</summary>
    private static string TrimSentenceEnd(string value) => value.TrimEnd('.');

    /// <summary>The header and payload of a JWT are base64url JSON objects; the header names its algorithm.</summary>
    internal static bool IsJwt(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var header = DecodeBase64Url(parts[0]);
        var payload = DecodeBase64Url(parts[1]);
        return header is not null && payload is not null
            && header.TrimStart().StartsWith("{", StringComparison.Ordinal) && header.IndexOf("\"alg\"", StringComparison.Ordinal) >= 0
            && payload.TrimStart().StartsWith("{", StringComparison.Ordinal);
    }

    private static string? DecodeBase64Url(string part)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A secret that is only recognisable by the name it is assigned to (AWS secret key, Azure account key, SAS sig).</summary>
internal sealed class AssignedTokenDetector : SecretDetector
{
    private readonly Regex pattern;
    private readonly Func<ScanContext, int, int, string, bool>? validate;

    public AssignedTokenDetector(SecretRule rule, string pattern, SecretKeyword[] keywords, Func<ScanContext, int, int, string, bool>? validate = null)
        : base(rule, Provider, keywords)
    {
        this.pattern = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture);
        this.validate = validate;
    }

    internal override void DetectRegion(ScanContext context, int start, int end)
    {
        for (var m = pattern.Match(context.Text, start, end - start); m.Success; m = m.NextMatch())
        {
            var s = m.Groups["s"];
            var secret = s.Value;
            if (SecretValues.IsPlaceholder(secret) || SecretValues.IsDocumentedExample(secret)
                || SecretValues.CharacterClasses(secret) < 3 || (validate is not null && !validate(context, start, end, secret)))
            {
                continue;
            }

            context.Add(this, s.Index, s.Length, secret, SecretRedactor.Named(m.Groups["k"].Value, "=", secret));
        }
    }
}
