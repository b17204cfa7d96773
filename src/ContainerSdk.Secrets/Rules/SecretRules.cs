using System.Collections.Generic;

namespace ContainerSdk.Secrets;

/// <summary>
/// The one catalog of secret rules (CSDK3101–CSDK3401). The analyzer compiles this file in; the publish scan uses it
/// from ContainerSdk.Core. Codes never change meaning; a retired rule keeps its number unused.
/// </summary>
public static class SecretRules
{
    // File kinds: the file itself should not ship.
    public static readonly SecretRule DotEnvFile = new("CSDK3101", "DotEnvFile", SecretRuleKind.File,
        ".env file",
        "A .env file holds a developer's or an environment's settings, usually secrets. It is meant to be read on a developer machine, not copied into an image.",
        "7.5");

    public static readonly SecretRule Pkcs12File = new("CSDK3102", "Pkcs12File", SecretRuleKind.File,
        "PKCS#12 certificate with private key (.pfx/.p12)",
        "A .pfx or .p12 file carries a certificate together with its private key. Anyone who pulls the image can take the key.",
        "8.5");

    public static readonly SecretRule PrivateKey = new("CSDK3103", "PrivateKey", SecretRuleKind.File,
        "Private key",
        "A PEM, OpenSSH or PuTTY private key block, or an SSH private key file (id_rsa, id_ed25519, ...).",
        "9.0");

    public static readonly SecretRule KubeconfigCredentials = new("CSDK3104", "KubeconfigCredentials", SecretRuleKind.File,
        "kubeconfig with credentials",
        "A kubeconfig file with a user token, client key, password or client secret gives access to a Kubernetes cluster.",
        "9.0");

    public static readonly SecretRule CredentialFile = new("CSDK3105", "CredentialFile", SecretRuleKind.File,
        "Package manager or git credentials file",
        "A .npmrc, .yarnrc.yml, .pypirc, .git-credentials, .netrc or docker config.json with a token or password.",
        "8.0");

    public static readonly SecretRule NuGetClearTextPassword = new("CSDK3106", "NuGetClearTextPassword", SecretRuleKind.File,
        "NuGet.config with a ClearTextPassword",
        "A package source credential stored in clear text in a NuGet.config (packageSourceCredentials/ClearTextPassword).",
        "8.0");

    public static readonly SecretRule UserSecretsFile = new("CSDK3107", "UserSecretsFile", SecretRuleKind.File,
        "User secrets file (secrets.json)",
        "secrets.json is the .NET Secret Manager's store for development secrets; it must stay on the developer machine.",
        "7.5");

    // Provider tokens: recognisable by their format.
    public static readonly SecretRule AwsAccessKeyId = new("CSDK3201", "AwsAccessKeyId", SecretRuleKind.Token,
        "AWS access key ID",
        "An AWS access key ID (AKIA/ASIA...). With its secret access key it signs requests to AWS.",
        "7.0");

    public static readonly SecretRule AwsSecretAccessKey = new("CSDK3202", "AwsSecretAccessKey", SecretRuleKind.Token,
        "AWS secret access key",
        "A 40-character AWS secret access key assigned to an aws_secret_access_key-style name.",
        "9.0");

    public static readonly SecretRule GitHubToken = new("CSDK3203", "GitHubToken", SecretRuleKind.Token,
        "GitHub token",
        "A GitHub personal access token (classic ghp_ or fine-grained github_pat_), OAuth token (gho_), or GitHub App token (ghu_, ghs_, ghr_).",
        "9.0");

    public static readonly SecretRule GitLabToken = new("CSDK3204", "GitLabToken", SecretRuleKind.Token,
        "GitLab token",
        "A GitLab personal, project, group, deploy, runner, pipeline trigger or feed token (glpat-, gldt-, glrt-, ...).",
        "9.0");

    public static readonly SecretRule SlackToken = new("CSDK3205", "SlackToken", SecretRuleKind.Token,
        "Slack token or webhook",
        "A Slack bot, user, app or configuration token (xoxb-, xoxp-, xapp-, ...) or an incoming webhook URL.",
        "8.0");

    public static readonly SecretRule StripeSecretKey = new("CSDK3206", "StripeSecretKey", SecretRuleKind.Token,
        "Stripe secret or restricted key",
        "A Stripe secret key (sk_live_, sk_test_) or restricted key (rk_live_, rk_test_). Publishable keys (pk_) are not reported.",
        "9.0");

    public static readonly SecretRule GoogleApiKey = new("CSDK3207", "GoogleApiKey", SecretRuleKind.Token,
        "Google API key",
        "A Google Cloud / Firebase API key (AIza...).",
        "7.0");

    public static readonly SecretRule AzureStorageKey = new("CSDK3208", "AzureStorageKey", SecretRuleKind.Token,
        "Azure storage account or shared access key",
        "An Azure storage account key (AccountKey=...) or a Service Bus / Event Hubs shared access key (SharedAccessKey=...), alone or in a connection string.",
        "9.0");

    public static readonly SecretRule AzureSasToken = new("CSDK3209", "AzureSasToken", SecretRuleKind.Token,
        "Azure shared access signature",
        "An Azure SAS token (sv=...&sig=...) in a URL or a connection string.",
        "8.0");

    public static readonly SecretRule JsonWebToken = new("CSDK3210", "JsonWebToken", SecretRuleKind.Token,
        "JSON Web Token",
        "A signed JWT (header.payload.signature). A bearer token works for whoever holds it until it expires.",
        "6.5");

    public static readonly SecretRule OpenAiApiKey = new("CSDK3211", "OpenAiApiKey", SecretRuleKind.Token,
        "OpenAI API key",
        "An OpenAI API key (sk-..., sk-proj-..., sk-svcacct-..., sk-admin-...).",
        "8.5");

    public static readonly SecretRule HuggingFaceToken = new("CSDK3212", "HuggingFaceToken", SecretRuleKind.Token,
        "Hugging Face token",
        "A Hugging Face user access token (hf_...) or organization token (api_org_...).",
        "8.0");

    public static readonly SecretRule NpmToken = new("CSDK3213", "NpmToken", SecretRuleKind.Token,
        "npm access token",
        "An npm access token (npm_...).",
        "8.5");

    public static readonly SecretRule NuGetApiKey = new("CSDK3214", "NuGetApiKey", SecretRuleKind.Token,
        "NuGet API key",
        "A nuget.org API key (oy2...). It can push packages under your name.",
        "9.0");

    // Connection strings.
    public static readonly SecretRule ConnectionStringPassword = new("CSDK3301", "ConnectionStringPassword", SecretRuleKind.ConnectionString,
        "Connection string with a password",
        "An ADO.NET, Npgsql, MySQL, Oracle or StackExchange.Redis connection string with Password= or Pwd=. Integrated Security / managed identity strings are not reported.",
        "8.0");

    public static readonly SecretRule UriCredentials = new("CSDK3302", "UriCredentials", SecretRuleKind.ConnectionString,
        "Credentials in a URI",
        "A URI with user:password@ (mongodb://, redis://, postgres://, amqp://, https://, ...).",
        "8.0");

    // Secret-named keys in configuration files.
    public static readonly SecretRule SecretKeyValue = new("CSDK3401", "SecretKeyValue", SecretRuleKind.KeyValue,
        "Secret-looking value under a secret-named key",
        "A key named like a secret (password, secret, token, api key, ...) in JSON, XML, YAML, .env or .ini holds a value that looks like a real secret: not a placeholder, reference, identifier, UUID, hash or sentence.",
        "7.0");

    /// <summary>Every rule, ordered by code.</summary>
    public static IReadOnlyList<SecretRule> All { get; } =
    [
        DotEnvFile, Pkcs12File, PrivateKey, KubeconfigCredentials, CredentialFile, NuGetClearTextPassword, UserSecretsFile,
        AwsAccessKeyId, AwsSecretAccessKey, GitHubToken, GitLabToken, SlackToken, StripeSecretKey, GoogleApiKey,
        AzureStorageKey, AzureSasToken, JsonWebToken, OpenAiApiKey, HuggingFaceToken, NpmToken, NuGetApiKey,
        ConnectionStringPassword, UriCredentials,
        SecretKeyValue,
    ];

    public static SecretRule? Find(string id)
    {
        foreach (var rule in All)
        {
            if (rule.Id == id)
            {
                return rule;
            }
        }

        return null;
    }
}
