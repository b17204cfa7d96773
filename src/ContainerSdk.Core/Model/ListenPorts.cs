using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ContainerSdk.Model;

/// <summary>The ports Kestrel will listen on, as the image's environment tells it; <see cref="Variable"/> names the source.</summary>
public sealed record ListenPorts(string Variable, IReadOnlyList<int> Http, IReadOnlyList<int> All)
{
    /// <summary>
    /// ASP.NET Core reads URLS ahead of HTTP_PORTS/HTTPS_PORTS, and ASPNETCORE_ ahead of DOTNET_. Null when none is
    /// set, or when a value cannot be read without running the app (a placeholder, a named pipe): then nothing is
    /// derived from it and nothing is refused because of it.
    /// </summary>
    public static ListenPorts? From(IReadOnlyList<NameValue> environment)
    {
        string? Get(string name) => environment.LastOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))?.Value;
        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS" })
        {
            if (Get(name) is { } urls && urls.Trim().Length > 0)
            {
                return ParseUrls(name, urls);
            }
        }

        foreach (var prefix in new[] { "ASPNETCORE_", "DOTNET_" })
        {
            var http = Get(prefix + "HTTP_PORTS");
            var https = Get(prefix + "HTTPS_PORTS");
            if (string.IsNullOrWhiteSpace(http) && string.IsNullOrWhiteSpace(https))
            {
                continue;
            }

            var httpPorts = ParsePortList(http);
            var httpsPorts = ParsePortList(https);
            if (httpPorts is null || httpsPorts is null)
            {
                return null;
            }

            var variable = string.Join("/", new[] { (prefix + "HTTP_PORTS", http), (prefix + "HTTPS_PORTS", https) }
                .Where(v => !string.IsNullOrWhiteSpace(v.Item2)).Select(v => v.Item1));
            return new ListenPorts(variable, httpPorts, httpPorts.Concat(httpsPorts).Distinct().ToList());
        }

        return null;
    }

    private static List<int>? ParsePortList(string? value)
    {
        var ports = new List<int>();
        foreach (var part in (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryPort(part.Trim(), out var port))
            {
                return null;
            }

            if (!ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    private static ListenPorts? ParseUrls(string variable, string value)
    {
        var http = new List<int>();
        var all = new List<int>();
        foreach (var part in value.Split(';'))
        {
            var url = part.Trim();
            if (url.Length == 0)
            {
                continue;
            }

            var scheme = url.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0)
            {
                return null;
            }

            var kind = url.Substring(0, scheme).ToLowerInvariant();
            var authority = url.Substring(scheme + 3);
            var slash = authority.IndexOf('/');
            authority = slash >= 0 ? authority.Substring(0, slash) : authority;
            var colon = authority.LastIndexOf(':');
            int port;
            if (colon >= 0 && colon > authority.LastIndexOf(']'))
            {
                if (!TryPort(authority.Substring(colon + 1), out port))
                {
                    return null;
                }
            }
            else if (kind is "http" or "https")
            {
                port = kind == "http" ? 80 : 443;
            }
            else
            {
                return null;
            }

            if (kind is not ("http" or "https"))
            {
                return null;
            }

            if (kind == "http" && !http.Contains(port))
            {
                http.Add(port);
            }

            if (!all.Contains(port))
            {
                all.Add(port);
            }
        }

        return all.Count == 0 ? null : new ListenPorts(variable, http, all);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    public override string ToString() => string.Join(", ", All.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
