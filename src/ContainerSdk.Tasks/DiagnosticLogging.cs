using ContainerSdk.Diagnostics;
using Microsoft.Build.Utilities;

namespace ContainerSdk.Tasks;

/// <summary>Logs a Core diagnostic as an MSBuild error or warning with its code and help link.</summary>
internal static class DiagnosticLogging
{
    public static void Log(this TaskLoggingHelper log, ContainerDiagnostic diagnostic, string file)
    {
        if (diagnostic.IsError)
        {
            log.LogError(null, diagnostic.Code, null, diagnostic.HelpLink, file, 0, 0, 0, 0, diagnostic.Message);
        }
        else
        {
            log.LogWarning(null, diagnostic.Code, null, diagnostic.HelpLink, file, 0, 0, 0, 0, diagnostic.Message);
        }
    }
}
