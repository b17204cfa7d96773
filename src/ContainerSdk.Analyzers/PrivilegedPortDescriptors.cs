using ContainerSdk.Diagnostics;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ContainerSdk.Analyzers;

/// <summary>The privileged-port rules (CSDK61xx). The publish-time side of the same check is CSDK2022.</summary>
public static class PrivilegedPortDescriptors
{
    public const string Category = "Reliability";

    private const string HelpLink = HelpLinks.Format;

    private const string Description =
        "Binding a port below 1024 needs root or CAP_NET_BIND_SERVICE. Docker lowers net.ipv4.ip_unprivileged_port_start " +
        "inside its containers, Kubernetes does not: the image ContainerSdk builds runs as a non-root user, so the app " +
        "fails to bind and the pod crash-loops. Listen on 8080 (ContainerPort 8080, ASPNETCORE_HTTP_PORTS) and map port 80 " +
        "in the Service instead.";

    public static readonly DiagnosticDescriptor PortInCode = new(
        "CSDK6101",
        "Privileged port in code under a non-root container user",
        "{0} makes the app listen on port {1}, below 1024, but the container runs as non-root user {2}: on Kubernetes it cannot bind the port and the pod crash-loops. Listen on 8080 instead (<ContainerPort Include=\"8080\" /> sets ASPNETCORE_HTTP_PORTS) and remove the hard-coded port.",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description, helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, "CSDK6101"));

    public static readonly DiagnosticDescriptor PortInSettings = new(
        "CSDK6102",
        "Privileged port in shipped appsettings under a non-root container user",
        "'{0}' in {1} makes the app listen on port {2}, below 1024, but the container runs as non-root user {3}: on Kubernetes it cannot bind the port and the pod crash-loops. Use port 8080 there (or remove the setting and set <ContainerPort Include=\"8080\" />).",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: Description, helpLinkUri: string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLink, "CSDK6102"));

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(PortInCode, PortInSettings);
}
