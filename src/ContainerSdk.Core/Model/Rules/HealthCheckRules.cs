using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>ContainerHealthCheckPath: a HEALTHCHECK that runs the app itself as an http probe of that path on the
/// first TCP port the app serves plain http on (CSDK1019, CSDK1020, CSDK2021). Distroless images have no shell and no
/// curl.</summary>
public static class HealthCheckRules
{
    /// <summary>The health probe is a module initializer, which the runtime runs from .NET 5 on.</summary>
    public const int ModuleInitializerMajor = 5;

    /// <summary>The argument the probe ContainerSdk compiles into the app (ContainerSdkProbe.cs) answers to.</summary>
    public const string ProbeArgument = "--containersdk-probe";

    private static readonly Regex PathPattern = new("^/[A-Za-z0-9._~/-]{0,200}$", RegexOptions.CultureInvariant);

    /// <param name="path">The property; empty: no HEALTHCHECK (null).</param>
    /// <param name="command">The app's command (the ENTRYPOINT without its extra arguments).</param>
    /// <param name="ports">The parsed ports.</param>
    /// <param name="listen">What the app's environment says it listens on, if it says.</param>
    /// <param name="frameworkMajor">The target framework's major (0: unknown, already an error).</param>
    /// <param name="catalog">For the upgrade a framework without module initializers needs.</param>
    /// <returns>The HEALTHCHECK command (exec form), or null.</returns>
    public static Parsed<List<string>?> Parse(
        string? path, IReadOnlyList<string> command, IReadOnlyList<ContainerPort> ports, ListenPorts? listen, int frameworkMajor, BaseImageCatalog catalog)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        if (string.IsNullOrWhiteSpace(path))
        {
            return Parsed.Of<List<string>?>(null, diagnostics);
        }

        path = path!.Trim();
        // The probe speaks plain http: it goes to a port the app serves http on, when the environment says which.
        var port = ports.FirstOrDefault(p => p.Protocol == "tcp" && (listen is null || listen.Http.Contains(p.Number)));
        if (frameworkMajor is > 0 and < ModuleInitializerMajor)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2021", catalog.FindDotnet(frameworkMajor)?.Moniker ?? "net" + frameworkMajor, catalog.FirstSupportedAfter(frameworkMajor).Moniker));
        }
        else if (PathPattern.IsMatch(path) && port is null && listen is not null && ports.Any(p => p.Protocol == "tcp" && listen.All.Contains(p.Number)))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1020", listen, listen.Variable,
                "ContainerHealthCheckPath is probed over plain http, which none of those ports serves", "the health probe"));
        }
        else if (!PathPattern.IsMatch(path) || port is null)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1019", ValueRules.Printable(path)));
        }
        else
        {
            return Parsed.Of<List<string>?>([.. command, ProbeArgument, $"http://127.0.0.1:{port.Number}{path}"], diagnostics);
        }

        return Parsed.Of<List<string>?>(null, diagnostics);
    }
}
