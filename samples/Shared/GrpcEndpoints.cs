using System.Globalization;

namespace Samples.Inference;

/// <summary>
/// Where gRPC listens: cleartext HTTP/2 needs an endpoint of its own (Kestrel speaks HTTP/2 without TLS only to
/// clients that know in advance, so an HTTP/1.1 endpoint cannot also serve it). Any endpoint given in code or
/// Kestrel:Endpoints makes Kestrel ignore ASP.NET Core's address settings, so this turns those settings (--urls /
/// ASPNETCORE_URLS, else ASPNETCORE_HTTP_PORTS, else Kestrel's default) into Kestrel:Endpoints entries and adds the
/// gRPC endpoint beside them, on the same hosts. A port that ASPNETCORE_HTTP_PORTS also names (as a generated
/// Dockerfile does for every exposed port) is the gRPC port, not a second HTTP/1.1 one.
/// </summary>
public static class GrpcEndpoints
{
    public const int DefaultPort = 8081;

    public static void Configure(WebApplicationBuilder builder, int grpcPort)
    {
        IConfiguration configuration = builder.Configuration;
        string port = grpcPort.ToString(CultureInfo.InvariantCulture);
        var http = new List<string>();
        var hosts = new List<string>();
        if (configuration["urls"] is { Length: > 0 } urls && !string.IsNullOrWhiteSpace(urls))
        {
            foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                http.Add(url);
                hosts.Add(Host(url));
            }
        }
        else if (configuration["http_ports"] is { Length: > 0 } ports && !string.IsNullOrWhiteSpace(ports))
        {
            foreach (string p in ports.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (p != port)
                {
                    http.Add($"http://*:{p}");
                }
            }

            hosts.Add("*");
        }
        else
        {
            http.Add("http://localhost:5000");
            hosts.Add("localhost");
        }

        var endpoints = new Dictionary<string, string?>();
        for (int i = 0; i < http.Count; i++)
        {
            endpoints[$"Kestrel:Endpoints:Http{i}:Url"] = http[i];
        }

        // Kestrel binds its configured endpoints in key order: "Http..." before "InferenceGrpc...", so the first
        // "Now listening on" line is still the REST address.
        int g = 0;
        foreach (string host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            endpoints[$"Kestrel:Endpoints:InferenceGrpc{g}:Url"] = $"http://{host}:{port}";
            endpoints[$"Kestrel:Endpoints:InferenceGrpc{g}:Protocols"] = "Http2";
            g++;
        }

        builder.Configuration.AddInMemoryCollection(endpoints);
        // Consumed above; left set, Kestrel would log that the endpoints override them.
        builder.WebHost.UseSetting("urls", "");
        builder.WebHost.UseSetting("http_ports", "");
    }

    /// <summary>The host of "http://host:port[/path]" ("*", "+", a name, an IPv4 or a [bracketed] IPv6 address).</summary>
    private static string Host(string url)
    {
        int start = url.IndexOf("://", StringComparison.Ordinal);
        string authority = start < 0 ? url : url[(start + 3)..];
        int slash = authority.IndexOf('/');
        if (slash >= 0)
        {
            authority = authority[..slash];
        }

        int colon = authority.LastIndexOf(':');
        return colon > 0 && !authority.EndsWith(']') ? authority[..colon] : authority;
    }
}
