using System;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>
/// PEM ("-----BEGIN ... PRIVATE KEY-----"), OpenSSH and PuTTY private keys, also inside JSON strings with \n escapes.
/// The header alone is not a key (libraries carry it as a parsing constant), so a base64 body must follow. The
/// secret is the body's base64 characters, so the same key in a .pem, a JSON string and a C# literal has one fingerprint.
/// </summary>
internal sealed class PrivateKeyDetector : SecretDetector
{
    private const int MinBodyBase64 = 64;

    private static readonly Regex Header = new(
        @"-----BEGIN (?<t>[A-Z0-9 ]{0,24}?)PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-[0-9]+:",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public PrivateKeyDetector()
        : base(SecretRules.PrivateKey, Provider, SecretKeyword.Exact("PRIVATE KEY"), SecretKeyword.Exact("PuTTY-User-Key-File-"))
    {
    }

    internal override int ForwardWindow => 16384;

    internal override void DetectRegion(ScanContext context, int start, int end)
    {
        var text = context.Text;
        for (var m = Header.Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            var bodyStart = m.Index + m.Length;
            var isPutty = m.Value.StartsWith("PuTTY", StringComparison.Ordinal);
            if (isPutty)
            {
                var lines = text.IndexOf("Private-Lines:", bodyStart, Math.Min(end, text.Length) - bodyStart, StringComparison.Ordinal);
                if (lines < 0)
                {
                    continue;
                }

                bodyStart = text.IndexOf('\n', lines);
                if (bodyStart < 0)
                {
                    continue;
                }
            }

            var stop = isPutty
                ? IndexOfOrEnd(text, "Private-MAC:", bodyStart, end)
                : IndexOfOrEnd(text, "-----END", bodyStart, end);
            var body = Base64Body(text, bodyStart, stop, out var clean);
            if (!clean || body.Length < MinBodyBase64 || SecretValues.IsLowDiversity(body) || SecretValues.IsDocumentedExample(body))
            {
                continue;
            }

            var header = isPutty ? m.Value.TrimEnd(':') : m.Value;
            context.Add(this, m.Index, Math.Max(1, stop - m.Index), "PRIVATE KEY:" + body,
                header + SecretRedactor.Ellipsis + "(" + body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " base64 chars)");
        }
    }

    private static int IndexOfOrEnd(string text, string value, int start, int end)
    {
        end = Math.Min(end, text.Length);
        var i = start < end ? text.IndexOf(value, start, end - start, StringComparison.Ordinal) : -1;
        return i < 0 ? end : i;
    }

    /// <summary>
    /// The base64 characters of the body. Whitespace, JSON/C# "\n" escapes, quotes and string concatenation are
    /// skipped; PEM headers such as Proc-Type/DEK-Info are tolerated. <paramref name="clean"/> is false when the body
    /// is mostly something else (prose that mentions a key).
    /// </summary>
    private static string Base64Body(string text, int start, int stop, out bool clean)
    {
        var body = new StringBuilder();
        var other = 0;
        var lineHasColon = false;
        for (var i = start; i < stop; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < stop && (text[i + 1] == 'n' || text[i + 1] == 'r' || text[i + 1] == 't'))
            {
                i++;
                lineHasColon = false;
                continue;
            }

            if (c == '\n')
            {
                lineHasColon = false;
                continue;
            }

            if (c == ':')
            {
                lineHasColon = true; // "Proc-Type: 4,ENCRYPTED", "DEK-Info: ...", "Comment: ..."
                continue;
            }

            if (lineHasColon || char.IsWhiteSpace(c) || c == '"' || c == '\'' || c == ',' || c == '@' || c == ';' || c == '(' || c == ')')
            {
                continue;
            }

            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=')
            {
                body.Append(c);
            }
            else
            {
                other++;
            }
        }

        clean = other * 10 <= body.Length;
        return body.ToString();
    }
}
