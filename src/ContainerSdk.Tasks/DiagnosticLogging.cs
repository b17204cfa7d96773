using ContainerSdk.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ContainerSdk.Tasks;

/// <summary>What the libraries report, onto a task's MSBuild log: a diagnostic as an error or warning with its code,
/// help link and location, and a progress message at its importance.</summary>
internal static class DiagnosticLogging
{
    public static void Log(this TaskLoggingHelper log, ContainerDiagnostic diagnostic, string? file, int line = 0, int column = 0)
    {
        if (diagnostic.IsError)
        {
            log.LogError(null, diagnostic.Code, null, diagnostic.HelpLink, file, line, column, 0, 0, diagnostic.Message);
        }
        else
        {
            log.LogWarning(null, diagnostic.Code, null, diagnostic.HelpLink, file, line, column, 0, 0, diagnostic.Message);
        }
    }

    public static void Message(this TaskLoggingHelper log, LogImportance importance, string text) =>
        log.LogMessage(importance switch
        {
            LogImportance.High => MessageImportance.High,
            LogImportance.Low => MessageImportance.Low,
            _ => MessageImportance.Normal,
        }, "{0}", text);
}
