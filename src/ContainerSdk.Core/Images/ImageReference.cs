using System;
using System.Text.RegularExpressions;

namespace ContainerSdk.Images;

/// <summary>A parsed image reference: [registry/]repository[:tag][@sha256:digest], following the distribution grammar.</summary>
public sealed record ImageReference(string? Registry, string Repository, string? Tag, string? Digest)
{
    private const string Component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private const string HostPart = "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)";

    private static readonly Regex RepositoryPattern = new($"^{Component}(?:/{Component})*$", RegexOptions.CultureInvariant);
    private static readonly Regex RegistryPattern = new($@"^(?:{HostPart}(?:\.{HostPart})*|\[[0-9A-Fa-f:]+\])(?::[0-9]{{1,5}})?$", RegexOptions.CultureInvariant);
    private static readonly Regex TagPattern = new(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant);
    private static readonly Regex DigestPattern = new("^sha256:[a-f0-9]{64}$", RegexOptions.CultureInvariant);

    public bool IsPinned => Digest is not null;

    /// <summary>A registry host with an optional port (ghcr.io, 127.0.0.1:5000, [::1]:5000), no path.</summary>
    public static bool IsValidRegistry(string value) => RegistryPattern.IsMatch(value);

    /// <summary>Lowercase path components joined by '/', each with . _ __ - separators.</summary>
    public static bool IsValidRepository(string value) => RepositoryPattern.IsMatch(value);

    public static bool IsValidTag(string value) => TagPattern.IsMatch(value);

    /// <summary>The reference without its digest, as people write it.</summary>
    public string NameAndTag => (Registry is null ? "" : Registry + "/") + Repository + (Tag is null ? "" : ":" + Tag);

    public override string ToString() => NameAndTag + (Digest is null ? "" : "@" + Digest);

    public static bool TryParse(string? text, out ImageReference? reference)
    {
        reference = null;
        if (string.IsNullOrEmpty(text) || text!.Length > 512)
        {
            return false;
        }

        string rest = text;
        string? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest.Substring(at + 1);
            rest = rest.Substring(0, at);
            if (!DigestPattern.IsMatch(digest))
            {
                return false;
            }
        }

        string? registry = null;
        int slash = rest.IndexOf('/');
        if (slash > 0)
        {
            string first = rest.Substring(0, slash);
            // Docker's rule: the first component is a registry only if it looks like a host.
            if (first.IndexOf('.') >= 0 || first.IndexOf(':') >= 0 || first == "localhost" || first.StartsWith("[", StringComparison.Ordinal))
            {
                if (!RegistryPattern.IsMatch(first))
                {
                    return false;
                }

                registry = first;
                rest = rest.Substring(slash + 1);
            }
        }

        string? tag = null;
        int colon = rest.LastIndexOf(':');
        if (colon >= 0)
        {
            tag = rest.Substring(colon + 1);
            rest = rest.Substring(0, colon);
            if (!TagPattern.IsMatch(tag))
            {
                return false;
            }
        }

        if (rest.Length == 0 || rest.Length > 255 || !RepositoryPattern.IsMatch(rest))
        {
            return false;
        }

        reference = new ImageReference(registry, rest, tag, digest);
        return true;
    }
}
