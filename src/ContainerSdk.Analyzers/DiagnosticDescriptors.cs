using System.Collections.Immutable;
using ContainerSdk.Secrets;
using Microsoft.CodeAnalysis;

namespace ContainerSdk.Analyzers;

/// <summary>
/// The analyzer's one diagnostic catalog: one descriptor per secret rule, with the rule's code, title, description and
/// help link taken from <see cref="SecretRules"/> (a test checks both catalogs list the same codes). The message is
/// "&lt;title&gt; &lt;where&gt;: &lt;redacted hint&gt;".
/// </summary>
public static class DiagnosticDescriptors
{
    public const string Category = "Security";

    private const string Message = "{0} {1}: {2}";

    public static readonly DiagnosticDescriptor DotEnvFile = new(
        "CSDK3101", SecretRules.DotEnvFile.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.DotEnvFile.Description, helpLinkUri: SecretRules.DotEnvFile.HelpLink);

    public static readonly DiagnosticDescriptor Pkcs12File = new(
        "CSDK3102", SecretRules.Pkcs12File.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.Pkcs12File.Description, helpLinkUri: SecretRules.Pkcs12File.HelpLink);

    public static readonly DiagnosticDescriptor PrivateKey = new(
        "CSDK3103", SecretRules.PrivateKey.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.PrivateKey.Description, helpLinkUri: SecretRules.PrivateKey.HelpLink);

    public static readonly DiagnosticDescriptor KubeconfigCredentials = new(
        "CSDK3104", SecretRules.KubeconfigCredentials.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.KubeconfigCredentials.Description, helpLinkUri: SecretRules.KubeconfigCredentials.HelpLink);

    public static readonly DiagnosticDescriptor CredentialFile = new(
        "CSDK3105", SecretRules.CredentialFile.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.CredentialFile.Description, helpLinkUri: SecretRules.CredentialFile.HelpLink);

    public static readonly DiagnosticDescriptor NuGetClearTextPassword = new(
        "CSDK3106", SecretRules.NuGetClearTextPassword.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.NuGetClearTextPassword.Description, helpLinkUri: SecretRules.NuGetClearTextPassword.HelpLink);

    public static readonly DiagnosticDescriptor UserSecretsFile = new(
        "CSDK3107", SecretRules.UserSecretsFile.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.UserSecretsFile.Description, helpLinkUri: SecretRules.UserSecretsFile.HelpLink);

    public static readonly DiagnosticDescriptor AwsAccessKeyId = new(
        "CSDK3201", SecretRules.AwsAccessKeyId.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.AwsAccessKeyId.Description, helpLinkUri: SecretRules.AwsAccessKeyId.HelpLink);

    public static readonly DiagnosticDescriptor AwsSecretAccessKey = new(
        "CSDK3202", SecretRules.AwsSecretAccessKey.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.AwsSecretAccessKey.Description, helpLinkUri: SecretRules.AwsSecretAccessKey.HelpLink);

    public static readonly DiagnosticDescriptor GitHubToken = new(
        "CSDK3203", SecretRules.GitHubToken.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.GitHubToken.Description, helpLinkUri: SecretRules.GitHubToken.HelpLink);

    public static readonly DiagnosticDescriptor GitLabToken = new(
        "CSDK3204", SecretRules.GitLabToken.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.GitLabToken.Description, helpLinkUri: SecretRules.GitLabToken.HelpLink);

    public static readonly DiagnosticDescriptor SlackToken = new(
        "CSDK3205", SecretRules.SlackToken.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.SlackToken.Description, helpLinkUri: SecretRules.SlackToken.HelpLink);

    public static readonly DiagnosticDescriptor StripeSecretKey = new(
        "CSDK3206", SecretRules.StripeSecretKey.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.StripeSecretKey.Description, helpLinkUri: SecretRules.StripeSecretKey.HelpLink);

    public static readonly DiagnosticDescriptor GoogleApiKey = new(
        "CSDK3207", SecretRules.GoogleApiKey.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.GoogleApiKey.Description, helpLinkUri: SecretRules.GoogleApiKey.HelpLink);

    public static readonly DiagnosticDescriptor AzureStorageKey = new(
        "CSDK3208", SecretRules.AzureStorageKey.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.AzureStorageKey.Description, helpLinkUri: SecretRules.AzureStorageKey.HelpLink);

    public static readonly DiagnosticDescriptor AzureSasToken = new(
        "CSDK3209", SecretRules.AzureSasToken.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.AzureSasToken.Description, helpLinkUri: SecretRules.AzureSasToken.HelpLink);

    public static readonly DiagnosticDescriptor JsonWebToken = new(
        "CSDK3210", SecretRules.JsonWebToken.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.JsonWebToken.Description, helpLinkUri: SecretRules.JsonWebToken.HelpLink);

    public static readonly DiagnosticDescriptor OpenAiApiKey = new(
        "CSDK3211", SecretRules.OpenAiApiKey.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.OpenAiApiKey.Description, helpLinkUri: SecretRules.OpenAiApiKey.HelpLink);

    public static readonly DiagnosticDescriptor HuggingFaceToken = new(
        "CSDK3212", SecretRules.HuggingFaceToken.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.HuggingFaceToken.Description, helpLinkUri: SecretRules.HuggingFaceToken.HelpLink);

    public static readonly DiagnosticDescriptor NpmToken = new(
        "CSDK3213", SecretRules.NpmToken.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.NpmToken.Description, helpLinkUri: SecretRules.NpmToken.HelpLink);

    public static readonly DiagnosticDescriptor NuGetApiKey = new(
        "CSDK3214", SecretRules.NuGetApiKey.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.NuGetApiKey.Description, helpLinkUri: SecretRules.NuGetApiKey.HelpLink);

    public static readonly DiagnosticDescriptor ConnectionStringPassword = new(
        "CSDK3301", SecretRules.ConnectionStringPassword.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.ConnectionStringPassword.Description, helpLinkUri: SecretRules.ConnectionStringPassword.HelpLink);

    public static readonly DiagnosticDescriptor UriCredentials = new(
        "CSDK3302", SecretRules.UriCredentials.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.UriCredentials.Description, helpLinkUri: SecretRules.UriCredentials.HelpLink);

    public static readonly DiagnosticDescriptor SecretKeyValue = new(
        "CSDK3401", SecretRules.SecretKeyValue.Title, Message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: SecretRules.SecretKeyValue.Description, helpLinkUri: SecretRules.SecretKeyValue.HelpLink);
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        DotEnvFile,
        Pkcs12File,
        PrivateKey,
        KubeconfigCredentials,
        CredentialFile,
        NuGetClearTextPassword,
        UserSecretsFile,
        AwsAccessKeyId,
        AwsSecretAccessKey,
        GitHubToken,
        GitLabToken,
        SlackToken,
        StripeSecretKey,
        GoogleApiKey,
        AzureStorageKey,
        AzureSasToken,
        JsonWebToken,
        OpenAiApiKey,
        HuggingFaceToken,
        NpmToken,
        NuGetApiKey,
        ConnectionStringPassword,
        UriCredentials,
        SecretKeyValue);

    private static readonly ImmutableDictionary<string, DiagnosticDescriptor> ById = CreateIndex();

    public static DiagnosticDescriptor For(SecretRule rule) => ById[rule.Id];

    private static ImmutableDictionary<string, DiagnosticDescriptor> CreateIndex()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, DiagnosticDescriptor>();
        foreach (var descriptor in All)
        {
            builder.Add(descriptor.Id, descriptor);
        }

        return builder.ToImmutable();
    }
}
