using System;
using System.Threading;
using ContainerSdk.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ContainerSdk.Analyzers;

/// <summary>
/// The one typed reader of what MSBuild hands the analyzer (ContainerSdk.Secrets.targets): AdditionalFiles carry
/// ContainerSecretsRole metadata through CompilerVisibleItemMetadata — "Content" for items that will be copied to the
/// output or publish folder, "Baseline" for the baseline file.
/// </summary>
internal sealed class SecretAnalyzerOptions
{
    public const string RoleMetadata = "build_metadata.AdditionalFiles.ContainerSecretsRole";
    public const string RelativePathMetadata = "build_metadata.AdditionalFiles.ContainerSecretsRelativePath";
    public const string ContentRole = "Content";
    public const string BaselineRole = "Baseline";

    /// <summary>Larger texts are scanned up to this many characters; the publish scan reads the rest.</summary>
    public const int MaxFileChars = 4 * 1024 * 1024;

    private SecretAnalyzerOptions(SecretBaseline baseline) => Baseline = baseline;

    public SecretBaseline Baseline { get; }

    public static SecretAnalyzerOptions Read(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var baseline = SecretBaseline.Empty;
        foreach (var file in options.AdditionalFiles)
        {
            if (Role(options, file) == BaselineRole && file.GetText(cancellationToken) is { } text)
            {
                baseline = SecretBaseline.Parse(text.ToString(), out _);
            }
        }

        return new SecretAnalyzerOptions(baseline);
    }

    public static string? Role(AnalyzerOptions options, AdditionalText file) =>
        options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(RoleMetadata, out var role) && !string.IsNullOrWhiteSpace(role)
            ? role.Trim()
            : null;

    /// <summary>Where the item lands in the output (Link or TargetPath), for the message; the file name otherwise.</summary>
    public static string DisplayPath(AnalyzerOptions options, AdditionalText file)
    {
        if (options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(RelativePathMetadata, out var relative) && !string.IsNullOrWhiteSpace(relative))
        {
            return relative.Trim();
        }

        var path = file.Path;
        var slash = path.LastIndexOfAny(['/', '\\']);
        return slash < 0 ? path : path.Substring(slash + 1);
    }

    public static bool IsContent(AnalyzerOptions options, AdditionalText file) =>
        string.Equals(Role(options, file), ContentRole, StringComparison.OrdinalIgnoreCase);
}
