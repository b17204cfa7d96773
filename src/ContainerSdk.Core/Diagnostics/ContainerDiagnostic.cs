using System;
using System.Globalization;
using System.Resources;

namespace ContainerSdk.Diagnostics;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>A finding with a stable CSDKnnnn code. The message text lives in Strings.resx and starts with the code.</summary>
public sealed record ContainerDiagnostic(string Code, DiagnosticSeverity Severity, string Message)
{
    public const string HelpLinkFormat = HelpLinks.Format;

    public string HelpLink => string.Format(CultureInfo.InvariantCulture, HelpLinkFormat, Code);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    public static ContainerDiagnostic Error(string code, params object?[] args) => Create(code, DiagnosticSeverity.Error, args);

    public static ContainerDiagnostic Warning(string code, params object?[] args) => Create(code, DiagnosticSeverity.Warning, args);

    private static ContainerDiagnostic Create(string code, DiagnosticSeverity severity, object?[] args)
    {
        var format = Messages.Get(code);
        var text = string.Format(CultureInfo.InvariantCulture, format, args);
        // Resx strings read "CSDKnnnn: text"; the code travels separately so MSBuild prints it once.
        var prefix = code + ": ";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Message for {code} does not start with its code.");
        }

        return new ContainerDiagnostic(code, severity, text.Substring(prefix.Length));
    }

    public override string ToString() => $"{(IsError ? "error" : "warning")} {Code}: {Message}";
}

public static class Messages
{
    private static readonly ResourceManager Resources =
        new("ContainerSdk.Diagnostics.Strings", typeof(Messages).Assembly);

    public static string Get(string code) =>
        Resources.GetString(code, CultureInfo.InvariantCulture)
        ?? throw new InvalidOperationException($"No message for diagnostic {code}.");

    /// <summary>Every code in the catalog, for the uniqueness and documentation tests.</summary>
    public static System.Collections.Generic.IEnumerable<string> AllCodes()
    {
        var set = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!;
        foreach (System.Collections.DictionaryEntry entry in set)
        {
            yield return (string)entry.Key;
        }
    }
}
