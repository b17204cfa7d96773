using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>@(ContainerPort): what EXPOSE says (CSDK1002, CSDK1020). Shared with the Kubernetes manifests.</summary>
public static class PortListRules
{
    /// <summary>The default port of a web project's image (ASP.NET Core's from .NET 8 on).</summary>
    public const int DefaultWebPort = 8080;

    /// <returns>@(ContainerPort) without duplicates, else the ports the app listens on (<paramref name="listen"/>, from
    /// its environment), else <see cref="DefaultWebPort"/>/tcp for a web project.</returns>
    public static Parsed<List<ContainerPort>> Parse(IReadOnlyList<PortInput> inputs, bool isWebProject, ListenPorts? listen)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var ports = new List<ContainerPort>();
        foreach (var input in inputs)
        {
            var text = input.Port.Trim();
            var type = string.IsNullOrWhiteSpace(input.Type) ? "tcp" : input.Type!.Trim().ToLowerInvariant();
            int slash = text.IndexOf('/');
            if (slash >= 0)
            {
                type = text.Substring(slash + 1).ToLowerInvariant();
                text = text.Substring(0, slash);
            }

            if (text.Length is > 0 and <= 5 && text.All(c => c >= '0' && c <= '9')
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number is >= 1 and <= 65535 && type is "tcp" or "udp")
            {
                var port = new ContainerPort(number, type);
                if (!ports.Contains(port))
                {
                    ports.Add(port);
                }
            }
            else
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1002", ValueRules.Printable(input.Port + (input.Type is null ? "" : " Type=" + input.Type))));
            }
        }

        var tcp = ports.Where(p => p.Protocol == "tcp").ToList();
        if (listen is not null && tcp.Count == 0)
        {
            // EXPOSE (and the probe) follow the port the app was told to listen on.
            ports.AddRange(listen.All.Select(p => new ContainerPort(p, "tcp")));
        }
        else if (listen is not null && !tcp.Any(p => listen.All.Contains(p.Number)))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1020", listen, listen.Variable,
                "ContainerPort is " + string.Join(", ", tcp.Select(p => p.Number.ToString(CultureInfo.InvariantCulture))), "EXPOSE and the health probe"));
        }
        else if (ports.Count == 0 && isWebProject)
        {
            ports.Add(new ContainerPort(DefaultWebPort, "tcp"));
        }

        return Parsed.Of(ports, diagnostics);
    }
}
