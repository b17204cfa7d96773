namespace ContainerSdk.Diagnostics;

/// <summary>The help page of every CSDKnnnn code: docs/diagnostics/CSDKnnnn.md. The one place the URL is stated; the
/// analyzers and the generator compile this file in, and the targets' diagnostics come from the catalog with it.</summary>
public static class HelpLinks
{
    public const string Format = "https://github.com/containersdk/containersdk/blob/main/docs/diagnostics/{0}.md";
}
