using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Ports;

namespace ContainerSdk.Model;

/// <summary>The declared side of the privileged-port check (the analyzer does the code and appsettings side).</summary>
internal static class PrivilegedPorts
{
    public static void Check(string user, IReadOnlyList<ContainerPort> ports, IReadOnlyList<NameValue> userEnvironment, List<ContainerDiagnostic> diagnostics)
    {
        if (!PortRules.IsNonRootUser(user))
        {
            return;
        }

        var uid = user.Split(':')[0];
        // One warning a port: the variable that sets it says more than the EXPOSE that follows from it.
        var seen = new HashSet<int>();
        foreach (var variable in userEnvironment)
        {
            foreach (var port in PortRules.PortsOfVariable(variable.Name, variable.Value).Where(PortRules.IsPrivileged).Distinct())
            {
                Report("ContainerEnvironmentVariable " + variable.Name, port);
            }
        }

        foreach (var port in ports.Where(p => p.Protocol == "tcp" && PortRules.IsPrivileged(p.Number)))
        {
            Report("ContainerPort " + port.Number, port.Number);
        }

        void Report(string where, int port)
        {
            if (seen.Add(port))
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK2022", where, port, uid));
            }
        }
    }
}
