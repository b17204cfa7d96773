using System.Collections.Generic;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>Every detector, each bound to one rule of <see cref="SecretRules"/>. The order does not matter.</summary>
public static class SecretDetectors
{
    private static SecretKeyword[] Exact(params string[] texts)
    {
        var keywords = new SecretKeyword[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            keywords[i] = SecretKeyword.Exact(texts[i]);
        }

        return keywords;
    }

    private static SecretKeyword[] AnyCase(params string[] texts)
    {
        var keywords = new SecretKeyword[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            keywords[i] = SecretKeyword.AnyCase(texts[i]);
        }

        return keywords;
    }

    public static IReadOnlyList<SecretDetector> All { get; } = Create();

    private static List<SecretDetector> Create() =>
    [
        // File kinds
        new DotEnvDetector(),
        new SecretFileNameDetector(SecretRules.Pkcs12File, SecretFileNames.IsPkcs12),
        new PrivateKeyDetector(),
        new SecretFileNameDetector(SecretRules.PrivateKey, SecretFileNames.IsSshPrivateKeyName),
        new CredentialLineDetector(
            SecretRules.KubeconfigCredentials,
            s => s.Format is SecretTextFormat.Yaml or SecretTextFormat.Text || SecretFileNames.IsKubeconfigName(s),
            @"^[ \t]*-?[ \t]*(?<k>token|client-key-data|password|client-secret|id-token|refresh-token|access-token|auth-token)[ \t]*:[ \t]*(?<v>\S.*?)[ \t]*$",
            gatePattern: @"^[ \t]*kind:[ \t]*[""']?Config[""']?[ \t]*$",
            gateNotNeeded: SecretFileNames.IsKubeconfigName,
            gateLiteral: "Config"),
        new CredentialLineDetector(
            SecretRules.CredentialFile,
            s => SecretFileNames.IsNpmrc(s.FileName),
            @"(?:^|:)[ \t]*(?<k>_authToken|_auth|_password)[ \t]*=[ \t]*(?<v>\S.*?)[ \t]*$"),
        new CredentialLineDetector(
            SecretRules.CredentialFile,
            s => SecretFileNames.IsYarnrc(s.FileName),
            @"^[ \t]*(?<k>npmAuthToken|npmAuthIdent|npmPassword)[ \t]*:[ \t]*(?<v>\S.*?)[ \t]*$"),
        new CredentialLineDetector(
            SecretRules.CredentialFile,
            s => SecretFileNames.IsPypirc(s.FileName),
            @"^[ \t]*(?<k>password)[ \t]*[=:][ \t]*(?<v>\S.*?)[ \t]*$"),
        new CredentialLineDetector(
            SecretRules.CredentialFile,
            s => SecretFileNames.IsGitCredentials(s.FileName),
            @"^[ \t]*[a-z][a-z0-9+.\-]*://[^:/@\s]*:(?<v>[^@\s]+)@"),
        new CredentialLineDetector(
            SecretRules.CredentialFile,
            s => SecretFileNames.IsNetrc(s.FileName),
            @"\b(?<k>password|passwd)[ \t]+(?<v>\S+)"),
        new CredentialLineDetector(
            SecretRules.CredentialFile,
            s => s.FileName.Equals("config.json", System.StringComparison.OrdinalIgnoreCase) || SecretFileNames.IsDockerConfig(s),
            @"""(?<k>auth|identitytoken|registrytoken)""[ \t]*:[ \t]*""(?<v>[^""]+)""",
            gatePattern: @"""auths""\s*:",
            gateLiteral: "\"auths\""),
        new NuGetClearTextPasswordDetector(),
        new UserSecretsDetector(),

        // Provider tokens
        new TokenDetector(SecretRules.AwsAccessKeyId,
            @"(?<![A-Za-z0-9+/])(?<s>(?<p>AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Za-z0-9+])",
            Exact("AKIA", "ASIA", "ABIA", "ACCA", "A3T"), minBodyClasses: 1),
        new AssignedTokenDetector(SecretRules.AwsSecretAccessKey,
            @"(?<k>aws[A-Za-z_.\-]{0,20}secret[A-Za-z_.\-]{0,16}|[A-Za-z_.\-]{0,20}secret[_.\-]?access[_.\-]?key)[""']?\s*(?:=|:|=>|:=|\s+value\s*=)\s*[""']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            AnyCase("secret"),
            validate: (_, _, _, s) => !SecretValues.IsHexString(s)),
        // "SecretKey" alone is AWS's only next to other AWS settings ("AWS": { "AccessKey": "AKIA...", "SecretKey": ... }).
        new AssignedTokenDetector(SecretRules.AwsSecretAccessKey,
            @"(?<![A-Za-z])(?<k>secret[_.\-]?key)[""']?\s*(?:=|:|=>|:=|\s+value\s*=)\s*[""']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            AnyCase("secret"),
            validate: (context, start, _, s) => !SecretValues.IsHexString(s) && HasAwsContext(context.Text, start)),
        new TokenDetector(SecretRules.GitHubToken,
            @"(?<![A-Za-z0-9_])(?<s>(?<p>gh[pousr]_)[A-Za-z0-9]{36,251}|(?<p>github_pat_)[A-Za-z0-9]{22,}_[A-Za-z0-9]{50,})(?![A-Za-z0-9_])",
            Exact("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
        new TokenDetector(SecretRules.GitLabToken,
            @"(?<![A-Za-z0-9_\-])(?<s>(?<p>(?:glpat|gldt|glrt|glptt|glsoat|glcbt|glimt|glft|gloas|glagent|glffct|glwt)-)[A-Za-z0-9_\-.]{20,300}|(?<p>GR1348941)[A-Za-z0-9_\-]{20,})(?![A-Za-z0-9_\-])",
            Exact("glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glcbt-", "glimt-", "glft-", "gloas-", "glagent-", "glffct-", "glwt-", "GR1348941")),
        new TokenDetector(SecretRules.SlackToken,
            @"(?<![A-Za-z0-9_\-])(?<s>(?<p>(?:xoxe\.)?xox[abposrce]-)[A-Za-z0-9\-]{10,250}|(?<p>xapp-)[A-Za-z0-9\-]{20,250}|(?<p>https://hooks\.slack\.com/)(?:services|workflows|triggers)/[A-Za-z0-9_/+\-]{20,})(?![A-Za-z0-9_\-])",
            Exact("xox", "xapp-", "hooks.slack.com"),
            validate: s => HasDigit(s)),
        new TokenDetector(SecretRules.StripeSecretKey,
            @"(?<![A-Za-z0-9_])(?<s>(?<p>(?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{16,247})(?![A-Za-z0-9_])",
            Exact("sk_live_", "sk_test_", "rk_live_", "rk_test_")),
        new TokenDetector(SecretRules.GoogleApiKey,
            @"(?<![A-Za-z0-9_\-])(?<s>(?<p>AIza)[A-Za-z0-9_\-]{35})(?![A-Za-z0-9_\-])",
            Exact("AIza")),
        new AssignedTokenDetector(SecretRules.AzureStorageKey,
            @"(?<k>AccountKey|SharedAccessKey|(?:storage|account|primary|secondary)[_.\-]?(?:account[_.\-]?)?(?:access[_.\-]?)?key)[""']?\s*(?:=|:)\s*[""']?(?<s>[A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])",
            AnyCase("accountkey", "sharedaccesskey", "account_key", "account-key", "storagekey", "storage_key", "storage-key", "primarykey", "primary_key", "secondarykey", "secondary_key", "accesskey", "access_key")),
        new AssignedTokenDetector(SecretRules.AzureSasToken,
            @"(?<![A-Za-z0-9_])(?<k>sig)=(?<s>[A-Za-z0-9%+/]{30,200}(?:%3D|=){0,2})",
            AnyCase("sig="),
            validate: (context, start, end, _) => IsSasContext(context.Text, start, end)),
        new TokenDetector(SecretRules.JsonWebToken,
            @"(?<![A-Za-z0-9_\-])(?<s>(?<p>eyJ)[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})(?![A-Za-z0-9_\-.])",
            Exact("eyJ"),
            validate: TokenDetector.IsJwt),
        new TokenDetector(SecretRules.OpenAiApiKey,
            @"(?<![A-Za-z0-9_\-])(?<s>(?<p>sk-(?:(?:proj|svcacct|admin|None)-)?)[A-Za-z0-9_\-]{16,250}T3BlbkFJ[A-Za-z0-9_\-]{16,250}|(?<p>sk-(?:proj|svcacct|admin)-)[A-Za-z0-9_\-]{40,250}|(?<p>sk-)[A-Za-z0-9]{48})(?![A-Za-z0-9_\-])",
            Exact("sk-")),
        new TokenDetector(SecretRules.HuggingFaceToken,
            @"(?<![A-Za-z0-9_])(?<s>(?<p>hf_|api_org_)[A-Za-z0-9]{30,40})(?![A-Za-z0-9_])",
            Exact("hf_", "api_org_")),
        new TokenDetector(SecretRules.NpmToken,
            @"(?<![A-Za-z0-9_])(?<s>(?<p>npm_)[A-Za-z0-9]{36})(?![A-Za-z0-9_])",
            Exact("npm_")),
        new TokenDetector(SecretRules.NuGetApiKey,
            @"(?<![A-Za-z0-9_])(?<s>(?<p>oy2)[a-z0-9]{43})(?![A-Za-z0-9_])",
            Exact("oy2")),

        // Connection strings
        new ConnectionStringDetector(),
        new UriCredentialsDetector(),

        // Secret-named keys
        new KeyValueDetector(),
    ];

    /// <summary>AWS named, or an access key ID present, in the 1,000 characters before.</summary>
    private static bool HasAwsContext(string text, int position)
    {
        var from = System.Math.Max(0, position - 1000);
        var window = text.Substring(from, position - from);
        return window.IndexOf("aws", System.StringComparison.OrdinalIgnoreCase) >= 0
            || window.IndexOf("AKIA", System.StringComparison.Ordinal) >= 0 || window.IndexOf("ASIA", System.StringComparison.Ordinal) >= 0;
    }

    private static bool HasDigit(string s)
    {
        foreach (var c in s)
        {
            if (c >= '0' && c <= '9')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A SAS carries its version (sv=) and an expiry, permissions or resource type next to sig=.</summary>
    private static bool IsSasContext(string text, int start, int end)
    {
        var region = text.Substring(start, end - start);
        return region.IndexOf("sv=", System.StringComparison.OrdinalIgnoreCase) >= 0
            && (region.IndexOf("se=", System.StringComparison.OrdinalIgnoreCase) >= 0
                || region.IndexOf("sp=", System.StringComparison.OrdinalIgnoreCase) >= 0
                || region.IndexOf("srt=", System.StringComparison.OrdinalIgnoreCase) >= 0
                || region.IndexOf("sr=", System.StringComparison.OrdinalIgnoreCase) >= 0);
    }
}
