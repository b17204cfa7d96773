using System;
using System.Text.RegularExpressions;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>
/// Password=/Pwd= in a key=value connection string (ADO.NET, Npgsql, MySQL, Oracle, StackExchange.Redis). The same
/// string must show another connection-string key, so a lone "password=" in prose or a URL query is not taken.
/// Integrated Security / Trusted_Connection / managed identity strings carry no password and so never match.
/// </summary>
internal sealed class ConnectionStringDetector : SecretDetector
{
    private static readonly Regex Password = new(
        @"(?<![A-Za-z0-9_])(?<k>password|pwd)\s*=\s*(?:'(?<s>[^'\r\n]*)'|""(?<s>[^""\r\n]*)""|(?<s>[^;,""'\s<>\\]*))",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture);

    private static readonly Regex OtherKey = new(
        @"(?:^|[;,""'\s])(?:server|data\s?source|host|hostname|database|initial\s?catalog|user\s?id|userid|uid|user|username|user\s?name|port|address|addr|network\s?address|endpoint|ssl\s?mode|ssl|abortconnect|encrypt|trust\s?server\s?certificate|timeout|connect\s?timeout|connection\s?timeout|application\s?name|pooling|protocol|driver|dsn|dbq|service\s?name|sid|defaultdatabase|allowadmin|persist\s?security\s?info|multipleactiveresultsets|tns)\s*=\s*[^\s""'=;]|(?:^|[""'\s])[A-Za-z0-9.\-]+:[0-9]{2,5}\s*,",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public ConnectionStringDetector()
        : base(SecretRules.ConnectionStringPassword, Structured, SecretKeyword.AnyCase("password"), SecretKeyword.AnyCase("pwd"))
    {
    }

    internal override void DetectRegion(ScanContext context, int start, int end)
    {
        var text = context.Text;
        bool? hasContext = null;
        for (var m = Password.Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            var s = m.Groups["s"];
            var value = s.Value.Trim();
            if (value.Length == 0 || SecretValues.IsStandIn(value) || SecretValues.IsDocumentedExample(value) || IsParameterReference(value))
            {
                continue;
            }

            hasContext ??= OtherKey.IsMatch(text.Substring(start, end - start));
            if (hasContext != true)
            {
                continue;
            }

            context.Add(this, s.Index, s.Length, value, SecretRedactor.Named(m.Groups["k"].Value, "=", value));
        }
    }

    /// <summary>@pwd, :pwd, ?, {0}: a value filled in at run time, not a password.</summary>
    private static bool IsParameterReference(string value) =>
        value == "?" || ((value[0] == '@' || value[0] == ':') && SecretValues.IsIdentifierLike(value.Substring(1)))
        || (value.StartsWith("{", StringComparison.Ordinal) && value.EndsWith("}", StringComparison.Ordinal));
}

/// <summary>scheme://user:password@host — MongoDB, Redis, PostgreSQL, MySQL, AMQP, HTTP(S), FTP, SMTP, LDAP...</summary>
internal sealed class UriCredentialsDetector : SecretDetector
{
    private static readonly Regex UserInfo = new(
        @"(?<![A-Za-z0-9+.\-])(?<scheme>[A-Za-z][A-Za-z0-9+.\-]{1,24})://(?<u>[^:/@\s""'<>{}()\\]{0,128}):(?<s>[^@/\s""'<>\\]{1,256})@(?<h>[A-Za-z0-9_\-\[\]]+[A-Za-z0-9_.\-\[\]:]*)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public UriCredentialsDetector()
        : base(SecretRules.UriCredentials, Structured, SecretKeyword.Exact("://"))
    {
    }

    public override bool AppliesTo(in SecretSource source) => !SecretFileNames.IsGitCredentials(source.FileName);

    internal override void DetectRegion(ScanContext context, int start, int end)
    {
        for (var m = UserInfo.Match(context.Text, start, end - start); m.Success; m = m.NextMatch())
        {
            var s = m.Groups["s"];
            var value = s.Value;
            var user = m.Groups["u"].Value;
            if (SecretValues.IsStandIn(value) || SecretValues.IsDocumentedExample(value) || IsPort(value, user) || IsTemplateUser(user, value))
            {
                continue;
            }

            context.Add(this, s.Index, s.Length, value, m.Groups["scheme"].Value + "://" + SecretRedactor.Ellipsis + ":" + SecretRedactor.Ellipsis + "(" + value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " chars)@");
        }
    }

    /// <summary>"host:8080@..." is a port, not a password.</summary>
    private static bool IsPort(string value, string user)
    {
        foreach (var c in value)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return value.Length <= 5 && user.IndexOf('.') >= 0;
    }

    /// <summary>user:pass@, username:password@, admin:admin@ — documentation templates.</summary>
    private static bool IsTemplateUser(string user, string password)
    {
        var u = user.ToLowerInvariant();
        var p = password.ToLowerInvariant();
        return (u is "user" or "username" or "usr" or "login" or "name" or "admin" or "root" or "guest")
            && (p is "pass" or "password" or "pwd" or "secret" or "passwd" or "admin" or "root" or "guest" or "pw");
    }
}
