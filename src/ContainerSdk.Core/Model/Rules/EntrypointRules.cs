using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>The exec-form ENTRYPOINT and CMD: the app in the working directory, @(ContainerAppCommandArgs) after
/// it, @(ContainerDefaultArgs) as CMD (CSDK1014 for the assembly name, CSDK1008/CSDK1009 for an argument).</summary>
public static class EntrypointRules
{
    /// <param name="Command">What starts the app (the apphost, or dotnet and the dll), without the extra arguments;
    /// the health probe runs the same command.</param>
    /// <param name="Args">@(ContainerAppCommandArgs) that passed the value rules.</param>
    /// <param name="DefaultArgs">@(ContainerDefaultArgs) that passed them.</param>
    public sealed record Entrypoint(IReadOnlyList<string> Command, IReadOnlyList<string> Args, IReadOnlyList<string> DefaultArgs)
    {
        /// <summary>The ENTRYPOINT: the command, then the extra arguments.</summary>
        public List<string> Full => [.. Command, .. Args];
    }

    /// <param name="assemblyName">$(AssemblyName): a plain file name.</param>
    /// <param name="workingDirectory">The parsed working directory, where the app is copied.</param>
    /// <param name="selfContained">The apphost starts the app; otherwise dotnet.</param>
    /// <param name="copiesRuntime">dotnet is not on PATH: it is the one copied to <see cref="ContainerDefaults.DotnetRoot"/>.</param>
    public static Parsed<Entrypoint> Parse(
        string assemblyName, IReadOnlyList<string> appCommandArgs, IReadOnlyList<string> defaultArgs,
        string workingDirectory, bool selfContained, bool copiesRuntime)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        if (!ValueRules.IsSafePath(assemblyName) || assemblyName.Length == 0 || assemblyName.IndexOf('/') >= 0)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1014", ValueRules.Printable(assemblyName)));
        }

        var args = appCommandArgs.Where(arg => ValueRules.CheckValue("ContainerAppCommandArgs item", arg, diagnostics)).ToList();
        var cmd = defaultArgs.Where(arg => ValueRules.CheckValue("ContainerDefaultArgs item", arg, diagnostics)).ToList();

        string appPath = workingDirectory.TrimEnd('/') + "/" + assemblyName;
        var command = selfContained
            ? new List<string> { appPath }
            : new List<string> { copiesRuntime ? ContainerDefaults.DotnetRoot + "/dotnet" : "dotnet", appPath + ".dll" };
        return Parsed.Of(new Entrypoint(command, args, cmd), diagnostics);
    }
}
