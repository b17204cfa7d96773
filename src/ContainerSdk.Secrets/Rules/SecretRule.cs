using ContainerSdk.Diagnostics;
using System.Globalization;

namespace ContainerSdk.Secrets;

/// <summary>What a rule looks at: a whole file kind, a provider token, a connection string or a secret-named key.</summary>
public enum SecretRuleKind
{
    File,
    Token,
    ConnectionString,
    KeyValue,
}

/// <summary>
/// One secret rule: the identity both the analyzer (DiagnosticDescriptors) and the publish scan (resx, SARIF) report
/// under. The matching logic lives in a <see cref="Detectors.SecretDetector"/>; this is the data about it.
/// </summary>
public sealed class SecretRule
{
    /// <summary>The one help-link format (ContainerSdk.Diagnostics.HelpLinks, compiled into the analyzer too).</summary>
    public const string HelpLinkFormat = HelpLinks.Format;

    public SecretRule(string id, string name, SecretRuleKind kind, string title, string description, string securitySeverity)
    {
        Id = id;
        Name = name;
        Kind = kind;
        Title = title;
        Description = description;
        SecuritySeverity = securitySeverity;
    }

    /// <summary>CSDK3xxx.</summary>
    public string Id { get; }

    /// <summary>PascalCase name for SARIF's reportingDescriptor.name.</summary>
    public string Name { get; }

    public SecretRuleKind Kind { get; }

    /// <summary>Short noun phrase, e.g. "GitHub token".</summary>
    public string Title { get; }

    public string Description { get; }

    /// <summary>GitHub code scanning's 0.0–10.0 score, as text so SARIF writes it verbatim.</summary>
    public string SecuritySeverity { get; }

    public string HelpLink => string.Format(CultureInfo.InvariantCulture, HelpLinkFormat, Id);

    public override string ToString() => Id + " " + Name;
}
