using System;
using System.Globalization;

namespace ContainerSdk.Diagnostics;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>A finding with a stable CSDKnnnn code. Its message and default severity live in Strings.resx, once.</summary>
public sealed record ContainerDiagnostic(string Code, DiagnosticSeverity Severity, string Message)
{
    public const string HelpLinkFormat = HelpLinks.Format;

    public string HelpLink => string.Format(CultureInfo.InvariantCulture, HelpLinkFormat, Code);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The diagnostic <paramref name="code"/> with the catalog's message and default severity.</summary>
    public static ContainerDiagnostic Create(string code, params object?[] args)
    {
        var entry = Messages.Entry(code);
        return new ContainerDiagnostic(code, entry.Severity, string.Format(CultureInfo.InvariantCulture, entry.Format, args));
    }

    /// <summary>A user setting that raises or lowers findings (ContainerSecretsAsErrors, ContainerVerify=warn), the way
    /// WarningsAsErrors does for the compiler; the catalog's default stays the one declared.</summary>
    public ContainerDiagnostic WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    public override string ToString() => $"{(IsError ? "error" : "warning")} {Code}: {Message}";
}
