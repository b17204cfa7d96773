using System;
using System.Text;
using System.Text.RegularExpressions;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>.env files: reported once, at the first assignment with a real value (templates are skipped).</summary>
internal sealed class DotEnvDetector : SecretDetector
{
    private static readonly Regex Assignment = new(
        @"^[ \t]*(?:export[ \t]+)?(?<k>[A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*(?<v>.*)$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public DotEnvDetector()
        : base(SecretRules.DotEnvFile, FileKind)
    {
    }

    public override bool AppliesTo(in SecretSource source) =>
        source.Origin == SecretOrigin.File && SecretFileNames.IsDotEnv(source.FileName);

    internal override void DetectText(ScanContext context)
    {
        var text = context.Text;
        var all = new StringBuilder();
        var first = -1;
        string? firstKey = null;
        string? firstValue = null;
        context.ForEachLine((start, end) =>
        {
            var m = Assignment.Match(text, start, end - start);
            if (!m.Success)
            {
                return;
            }

            var value = Unquote(m.Groups["v"].Value);
            if (value.Length == 0 || SecretValues.IsStandIn(value) || SecretValues.IsDocumentedExample(value))
            {
                return;
            }

            all.Append(m.Groups["k"].Value).Append('=').Append(value).Append('\n');
            if (first < 0)
            {
                first = start;
                firstKey = m.Groups["k"].Value;
                firstValue = value;
            }
        });

        if (first >= 0)
        {
            context.AddFileLevel(this, first, ".env:" + all, SecretRedactor.Named(firstKey!, "=", firstValue!));
        }
    }

    internal static string Unquote(string raw)
    {
        var v = raw.Trim();
        if (v.Length >= 2 && (v[0] == '"' || v[0] == '\''))
        {
            var close = v.IndexOf(v[0], 1);
            return close > 0 ? v.Substring(1, close - 1) : v.Substring(1);
        }

        var comment = v.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? v.Substring(0, comment) : v).Trim();
    }
}

/// <summary>Files that are secret by their name alone: .pfx/.p12 (binary), id_rsa and friends.</summary>
internal sealed class SecretFileNameDetector : SecretDetector
{
    private readonly Func<string, bool> isMatch;

    public SecretFileNameDetector(SecretRule rule, Func<string, bool> isMatch)
        : base(rule, FileKind) => this.isMatch = isMatch;

    public override bool AppliesTo(in SecretSource source) => source.Origin == SecretOrigin.File && isMatch(source.FileName);

    internal override void DetectName(ScanContext context)
    {
        // An SSH key file whose content already matched the private key rule is reported there, with a line.
        foreach (var existing in context.Matches)
        {
            if (existing.Rule == Rule)
            {
                return;
            }
        }

        context.AddFileLevel(this, -1, "file:" + Rule.Id + ":" + context.Source.FileName, "by its file name");
    }
}

/// <summary>Line-based credential files: each credential line with a real value is reported.</summary>
internal sealed class CredentialLineDetector : SecretDetector
{
    private readonly Func<SecretSource, bool> applies;
    private readonly Regex line;
    private readonly Regex? gate;
    private readonly Func<SecretSource, bool>? gateNotNeeded;
    private readonly string? gateLiteral;

    /// <param name="gatePattern">A pattern the whole text must contain (e.g. kubeconfig's "kind: Config"), unless
    /// <paramref name="gateNotNeeded"/> says the name alone is enough.</param>
    /// <param name="gateLiteral">A literal the gate pattern needs, checked first with IndexOf (most files fail here).</param>
    public CredentialLineDetector(SecretRule rule, Func<SecretSource, bool> applies, string linePattern, string? gatePattern = null, Func<SecretSource, bool>? gateNotNeeded = null, string? gateLiteral = null)
        : base(rule, FileKind)
    {
        this.gateLiteral = gateLiteral ?? "";
        this.applies = applies;
        line = new Regex(linePattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase);
        gate = gatePattern is null ? null : new Regex(gatePattern, RegexOptions.CultureInvariant | RegexOptions.Multiline);
        this.gateNotNeeded = gateNotNeeded;
    }

    public override bool AppliesTo(in SecretSource source) => source.Origin == SecretOrigin.File && applies(source);

    internal override void DetectText(ScanContext context)
    {
        if (gate is not null && !(gateNotNeeded?.Invoke(context.Source) ?? false)
            && (context.Text.IndexOf(gateLiteral!, StringComparison.Ordinal) < 0 || !gate.IsMatch(context.Text)))
        {
            return;
        }

        var text = context.Text;
        context.ForEachLine((start, end) =>
        {
            for (var m = line.Match(text, start, end - start); m.Success; m = m.NextMatch())
            {
                var v = m.Groups["v"];
                var value = DotEnvDetector.Unquote(v.Value);
                if (value.Length == 0 || SecretValues.IsStandIn(value) || SecretValues.IsDocumentedExample(value))
                {
                    continue;
                }

                var key = m.Groups["k"].Success ? m.Groups["k"].Value : "password";
                context.Add(this, v.Index, v.Length, value, SecretRedactor.Named(key, "=", value));
            }
        });
    }
}

/// <summary>packageSourceCredentials with ClearTextPassword, in any XML file (NuGet.config under any name).</summary>
internal sealed class NuGetClearTextPasswordDetector : SecretDetector
{
    private static readonly Regex Add = new(
        @"<add\b[^>]*?\bkey\s*=\s*""ClearTextPassword""[^>]*?\bvalue\s*=\s*""(?<v>[^""]*)""|<add\b[^>]*?\bvalue\s*=\s*""(?<v>[^""]*)""[^>]*?\bkey\s*=\s*""ClearTextPassword""",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture);

    public NuGetClearTextPasswordDetector()
        : base(SecretRules.NuGetClearTextPassword, FileKind, SecretKeyword.AnyCase("cleartextpassword"))
    {
    }

    public override bool AppliesTo(in SecretSource source) => source.Format is SecretTextFormat.Xml or SecretTextFormat.Text;

    internal override void DetectRegion(ScanContext context, int start, int end)
    {
        for (var m = Add.Match(context.Text, start, end - start); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            var value = v.Value.Trim();
            if (value.Length == 0 || SecretValues.IsStandIn(value) || SecretValues.IsDocumentedExample(value))
            {
                continue;
            }

            context.Add(this, v.Index, v.Length, value, SecretRedactor.Named("ClearTextPassword", "=", value));
        }
    }
}

/// <summary>secrets.json (Secret Manager): reported once, at the first real value.</summary>
internal sealed class UserSecretsDetector : SecretDetector
{
    private static readonly Regex Pair = new(
        @"""(?<k>[^""\r\n]{1,200})""\s*:\s*""(?<v>(?:[^""\\\r\n]|\\.)*)""",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public UserSecretsDetector()
        : base(SecretRules.UserSecretsFile, FileKind)
    {
    }

    public override bool AppliesTo(in SecretSource source) =>
        source.Origin == SecretOrigin.File && SecretFileNames.IsUserSecrets(source.FileName);

    internal override void DetectText(ScanContext context)
    {
        var all = new StringBuilder();
        int first = -1;
        string? key = null;
        string? firstValue = null;
        for (var m = Pair.Match(context.Text); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["v"].Value;
            if (value.Length == 0 || SecretValues.IsStandIn(value))
            {
                continue;
            }

            all.Append(m.Groups["k"].Value).Append('=').Append(value).Append('\n');
            if (first < 0)
            {
                first = context.LineStartOf(m.Index);
                key = m.Groups["k"].Value;
                firstValue = value;
            }
        }

        if (first >= 0)
        {
            context.AddFileLevel(this, first, "secrets.json:" + all, SecretRedactor.Named(key!, ": ", firstValue!));
        }
    }
}
