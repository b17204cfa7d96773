using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>@(ContainerEnvironmentVariable) plus the variables the image needs by default (CSDK1007): a user's
/// variable of the same name always wins over a default.</summary>
public static class EnvironmentRules
{
    /// <summary>ASP.NET Core reads ASPNETCORE_HTTP_PORTS from .NET 8 on; older images set ASPNETCORE_URLS=http://+:80.</summary>
    public const int HttpPortsMajor = 8;

    private static readonly Regex NamePattern = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>The facts the default variables depend on.</summary>
    /// <param name="IsWebProject">Web projects get ASPNETCORE_HTTP_PORTS (or ASPNETCORE_URLS before .NET 8).</param>
    /// <param name="IsGpu">CUDA images get the NVIDIA and .NET variables they lack.</param>
    /// <param name="CopiesRuntime">The .NET runtime is copied to <see cref="ContainerDefaults.DotnetRoot"/>.</param>
    /// <param name="User">The parsed <c>uid:gid</c>.</param>
    /// <param name="Ports">The parsed ports.</param>
    /// <param name="FrameworkMajor">The target framework's major version.</param>
    public sealed record Context(bool IsWebProject, bool IsGpu, bool CopiesRuntime, string User, IReadOnlyList<ContainerPort> Ports, int FrameworkMajor);

    /// <returns>The defaults the user did not set, then the user's valid variables in their order.</returns>
    public static Parsed<List<NameValue>> Parse(IReadOnlyList<NameValue> variables, Context context)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var result = new List<NameValue>();
        var userNames = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            if (!NamePattern.IsMatch(variable.Name) || variable.Name.Length > 256)
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1007", ValueRules.Printable(variable.Name)));
                continue;
            }

            if (ValueRules.CheckValue($"ContainerEnvironmentVariable '{variable.Name}'", variable.Value, diagnostics))
            {
                userNames.Add(variable.Name);
                result.Add(variable);
            }
        }

        var defaults = new List<NameValue>();
        // The app's own URLS/HTTP_PORTS/HTTPS_PORTS stand as they are: a default HTTP_PORTS beside HTTPS_PORTS would
        // bind the same port twice.
        if (context.IsWebProject && !userNames.Contains("ASPNETCORE_URLS") && ListenPorts.From(result) is null)
        {
            var tcp = context.Ports.Where(p => p.Protocol == "tcp").Select(p => p.Number.ToString(CultureInfo.InvariantCulture)).ToList();
            if (tcp.Count > 0 && context.FrameworkMajor >= HttpPortsMajor)
            {
                defaults.Add(new NameValue("ASPNETCORE_HTTP_PORTS", string.Join(";", tcp)));
            }
            else if (tcp.Count > 0 && !userNames.Contains("ASPNETCORE_HTTP_PORTS"))
            {
                // Before .NET 8 the aspnet images listen on http://+:80, which a non-root user cannot bind on Kubernetes.
                defaults.Add(new NameValue("ASPNETCORE_URLS", string.Join(";", tcp.Select(p => "http://+:" + p))));
            }
        }

        if (context.IsGpu)
        {
            // The NVIDIA container toolkit reads these; compute,utility is what CUDA inference needs (not "all").
            defaults.Add(new NameValue("NVIDIA_VISIBLE_DEVICES", "all"));
            defaults.Add(new NameValue("NVIDIA_DRIVER_CAPABILITIES", "compute,utility"));
            // CUDA images carry no ICU; without this .NET stops at startup.
            defaults.Add(new NameValue("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "true"));
            defaults.Add(new NameValue("DOTNET_RUNNING_IN_CONTAINER", "true"));
            defaults.Add(new NameValue("APP_UID", context.User.Split(':')[0]));
            if (context.CopiesRuntime)
            {
                defaults.Add(new NameValue("DOTNET_ROOT", ContainerDefaults.DotnetRoot));
            }
        }

        return Parsed.Of(defaults.Where(d => !userNames.Contains(d.Name)).Concat(result).ToList(), diagnostics);
    }
}
