using System;
using System.Collections.Generic;
using System.Globalization;

namespace ContainerSdk.Ports;

/// <summary>
/// Reads the ports that ASP.NET Core will bind from the ways a project names them (a URL such as http://*:80, a port
/// list such as ASPNETCORE_HTTP_PORTS' "80;8080"). Shared by the publish-time check and the analyzer (compiled into
/// both), so they agree on what a privileged port is.
/// </summary>
public static class PortRules
{
    /// <summary>Linux lets only root (CAP_NET_BIND_SERVICE) bind below this unless net.ipv4.ip_unprivileged_port_start is
    /// lowered, which docker does for its containers and Kubernetes does not.</summary>
    public const int FirstUnprivilegedPort = 1024;

    public const string HttpPortsVariable = "ASPNETCORE_HTTP_PORTS";
    public const string HttpsPortsVariable = "ASPNETCORE_HTTPS_PORTS";
    public const string UrlsVariable = "ASPNETCORE_URLS";

    /// <summary>Port 0 asks the OS for a free port: not privileged.</summary>
    public static bool IsPrivileged(int port) => port is > 0 and < FirstUnprivilegedPort;

    /// <summary>The port of one URL as Kestrel reads it (http://+:80, https://[::]:443, http://localhost → 80); null
    /// when it is not a URL with a scheme.</summary>
    public static int? PortOfUrl(string url)
    {
        var text = url.Trim();
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return null;
        }

        var name = text.Substring(0, scheme).ToLowerInvariant();
        var authority = text.Substring(scheme + 3);
        int slash = authority.IndexOf('/');
        if (slash >= 0)
        {
            authority = authority.Substring(0, slash);
        }

        int close = authority.LastIndexOf(']');
        int colon = authority.LastIndexOf(':');
        if (colon > close)
        {
            var digits = authority.Substring(colon + 1);
            return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 ? port : null;
        }

        return name switch
        {
            "http" => 80,
            "https" => 443,
            _ => null,
        };
    }

    /// <summary>Ports of a URL list as ASPNETCORE_URLS and UseUrls take it (separated by ';').</summary>
    public static IEnumerable<int> PortsOfUrls(string urls)
    {
        foreach (var url in urls.Split([';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (PortOfUrl(url) is { } port)
            {
                yield return port;
            }
        }
    }

    /// <summary>Ports of ASPNETCORE_HTTP_PORTS / ASPNETCORE_HTTPS_PORTS ("80;8080").</summary>
    public static IEnumerable<int> PortsOfList(string ports)
    {
        foreach (var item in ports.Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(item.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                yield return port;
            }
        }
    }

    /// <summary>Ports an environment variable makes Kestrel bind, for the three variables it reads; none otherwise.</summary>
    public static IEnumerable<int> PortsOfVariable(string name, string value) =>
        name switch
        {
            UrlsVariable => PortsOfUrls(value),
            HttpPortsVariable or HttpsPortsVariable => PortsOfList(value),
            _ => [],
        };

    /// <summary>True when a ContainerUser value (UID or UID:GID) is not root.</summary>
    public static bool IsNonRootUser(string? user)
    {
        var uid = (user ?? "").Trim().Split(':')[0];
        return uid.Length > 0 && uid != "0" && uid != "root";
    }
}
