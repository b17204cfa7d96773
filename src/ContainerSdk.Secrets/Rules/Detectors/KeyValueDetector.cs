using System;
using System.Text.RegularExpressions;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>
/// A secret-looking value under a secret-named key in JSON, XML, YAML, .env and .ini files. Both halves must agree:
/// the name says secret (see <see cref="SecretNames"/>) and the value survives every false-positive filter and looks
/// random enough (length, entropy, character classes). Passwords may be shorter and less random than keys.
/// </summary>
internal sealed class KeyValueDetector : SecretDetector
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private static readonly Regex Json = new(
        @"""(?<k>[^""\\\r\n]{1,120})""\s*:\s*""(?<v>(?:[^""\\\r\n]|\\.){1,4000})""", Options);

    private static readonly Regex Yaml = new(
        @"^[ \t]*(?:-[ \t]+)?[""']?(?<k>[A-Za-z0-9_.\-]{1,120})[""']?[ \t]*:[ \t]+(?:""(?<v>[^""\r\n]*)""|'(?<v>[^'\r\n]*)'|(?<v>[^\s#""'|>&*!{\[][^\r\n#]*?))[ \t]*(?:#.*)?$", Options);

    private static readonly Regex EnvOrIni = new(
        @"^[ \t]*(?:export[ \t]+)?[""']?(?<k>[A-Za-z0-9_.\-:/\[\]]{1,120})[""']?[ \t]*[=:][ \t]*(?:""(?<v>[^""\r\n]*)""|'(?<v>[^'\r\n]*)'|(?<v>[^\s;""'][^\r\n]*?))[ \t]*(?:[ \t][#;].*)?$", Options);

    private static readonly Regex XmlAdd = new(
        @"<(?:add|setting|item|entry)\b[^>]*?\b(?:key|name)\s*=\s*""(?<k>[^""]{1,120})""[^>]*?\bvalue\s*=\s*""(?<v>[^""]*)""|<(?:add|setting|item|entry)\b[^>]*?\bvalue\s*=\s*""(?<v>[^""]*)""[^>]*?\b(?:key|name)\s*=\s*""(?<k>[^""]{1,120})""", Options | RegexOptions.IgnoreCase);

    private static readonly Regex XmlElement = new(
        @"<(?<k>[A-Za-z_][\w.\-]{0,120})(?:\s[^>]*)?>(?<v>[^<\r\n]{1,4000})</\k<k>\s*>", Options);

    private static readonly Regex XmlAttribute = new(
        @"(?<=\s)(?<k>[A-Za-z_][\w.\-]{0,120})\s*=\s*""(?<v>[^""]*)""", Options);

    public KeyValueDetector()
        : base(SecretRules.SecretKeyValue, Generic,
            SecretKeyword.AnyCase("pass"), SecretKeyword.AnyCase("pwd"), SecretKeyword.AnyCase("secret"),
            SecretKeyword.AnyCase("token"), SecretKeyword.AnyCase("key"), SecretKeyword.AnyCase("credential"),
            SecretKeyword.AnyCase("auth"))
    {
    }

    public override bool AppliesTo(in SecretSource source) =>
        source.Origin == SecretOrigin.File && source.Format != SecretTextFormat.Text;

    /// <summary>
    /// The keyword must sit in a name that is assigned something: followed by ':', '=' or '&gt;' (JSON, YAML, .env,
    /// XML elements) or preceded by key="/name=" (XML add). "The key of the dictionary" in prose is not.
    /// </summary>
    internal override bool IsCandidate(string text, int position, int length)
    {
        var start = position;
        while (start > 0 && IsNameChar(text[start - 1]) && position - start < 120)
        {
            start--;
        }

        var end = position + length;
        while (end < text.Length && IsNameChar(text[end]) && end - position < 120)
        {
            end++;
        }

        var after = end;
        var quoted = false;
        while (after < text.Length && (text[after] == '"' || text[after] == '\'' || text[after] == ' ' || text[after] == '\t'))
        {
            quoted |= text[after] != ' ' && text[after] != '\t';
            after++;
        }

        // name: / name= / "name": / <name> — but not name="key"> (an XML attribute value closing a tag).
        var assigned = after < text.Length && (text[after] == ':' || text[after] == '=' || (text[after] == '>' && !quoted));
        if (!assigned)
        {
            // <add key="name" value="..."/>: the name is an attribute value, and the element carries a value.
            var before = start;
            while (before > 0 && (text[before - 1] == '"' || text[before - 1] == ' '))
            {
                before--;
            }

            assigned = before > 0 && text[before - 1] == '=' && EndsWithName(text, before - 1) && HasValueAttribute(text, before, after);
        }

        return assigned && SecretNames.IsSecretName(text.Substring(start, end - start));
    }

    /// <summary>value= within the same element (either side of the name).</summary>
    private static bool HasValueAttribute(string text, int nameStart, int afterName)
    {
        var open = text.LastIndexOf('<', nameStart);
        var close = text.IndexOf('>', afterName);
        if (open < 0 || close < 0 || close - open > 4096)
        {
            return false;
        }

        return text.IndexOf("value", open, close - open, System.StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.';

    /// <summary>key= or name= just before <paramref name="equals"/>.</summary>
    private static bool EndsWithName(string text, int equals)
    {
        var i = equals;
        while (i > 0 && text[i - 1] == ' ')
        {
            i--;
        }

        return (i >= 3 && string.Compare(text, i - 3, "key", 0, 3, System.StringComparison.OrdinalIgnoreCase) == 0)
            || (i >= 4 && string.Compare(text, i - 4, "name", 0, 4, System.StringComparison.OrdinalIgnoreCase) == 0);
    }

    internal override void DetectRegion(ScanContext context, int start, int end)
    {
        switch (context.Source.Format)
        {
            case SecretTextFormat.Json:
                Run(context, Json, start, end, unescapeJson: true);
                break;
            case SecretTextFormat.Yaml:
                Run(context, Yaml, start, end);
                break;
            case SecretTextFormat.Env:
            case SecretTextFormat.Ini:
                Run(context, EnvOrIni, start, end);
                break;
            case SecretTextFormat.Xml:
                // <add key="..." value="..."/> names the setting in an attribute value; only elsewhere is an
                // attribute's own name the key (<credential password="..."/>).
                if (XmlAdd.IsMatch(context.Text.Substring(start, end - start)))
                {
                    Run(context, XmlAdd, start, end);
                }
                else
                {
                    Run(context, XmlElement, start, end);
                    Run(context, XmlAttribute, start, end);
                }

                break;
        }
    }

    private void Run(ScanContext context, Regex pattern, int start, int end, bool unescapeJson = false)
    {
        for (var m = pattern.Match(context.Text, start, end - start); m.Success; m = m.NextMatch())
        {
            var key = m.Groups["k"].Value;
            if (pattern == XmlAttribute && key is "key" or "name" or "value" or "id" or "type")
            {
                continue;
            }

            var v = m.Groups["v"];
            var raw = v.Value;
            var value = unescapeJson && raw.IndexOf('\\') >= 0 ? UnescapeJson(raw) : raw;
            if (!SecretNames.IsSecretName(key) || !LooksLikeSecret(value, SecretNames.IsPasswordName(key)))
            {
                continue;
            }

            context.Add(this, v.Index, v.Length, value.Trim(), SecretRedactor.Named(SecretNames.LastSegment(key), "=", value.Trim()));
        }
    }

    /// <summary>The value half of the rule; public through <see cref="SecretScanner"/> for the corpus tests.</summary>
    internal static bool LooksLikeSecret(string rawValue, bool passwordName)
    {
        var value = StripAuthScheme(rawValue.Trim());
        if (value.Length < (passwordName ? 6 : 12) || value.Length > 4000)
        {
            return false;
        }

        if (SecretValues.IsStandIn(value) || SecretValues.IsDocumentedExample(value) || SecretValues.IsUuid(value)
            || SecretValues.IsHashFormat(value) || SecretValues.IsPublicMaterial(value) || SecretValues.IsStructuredNonSecret(value)
            || SecretValues.IsNaturalLanguage(value) || SecretValues.IsIdentifierLike(value) || SecretValues.IsVersion(value)
            || (!passwordName && SecretValues.IsWordsIdentifier(value)))
        {
            return false;
        }

        var classes = SecretValues.CharacterClasses(value);
        if (passwordName)
        {
            return classes >= 2 || value.Length >= 12;
        }

        return classes >= 2 && SecretValues.Entropy(value) >= 3.0;
    }

    private static string StripAuthScheme(string value)
    {
        foreach (var scheme in new[] { "Bearer ", "Basic ", "Token ", "token ", "bearer ", "basic " })
        {
            if (value.StartsWith(scheme, StringComparison.Ordinal))
            {
                return value.Substring(scheme.Length).Trim();
            }
        }

        return value;
    }

    private static string UnescapeJson(string raw)
    {
        var chars = new System.Text.StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                i++;
                chars.Append(raw[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => raw[i] });
            }
            else
            {
                chars.Append(raw[i]);
            }
        }

        return chars.ToString();
    }
}
