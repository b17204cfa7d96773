using System;
using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Images.Engines;

namespace ContainerSdk.Images.Building;

/// <summary>How a failed engine run reads in a diagnostic: what happened, and the output lines that explain it.</summary>
internal static class EngineResultText
{
    public static string Describe(EngineResult result) =>
        result.NotFound ? "was not found on PATH"
        : result.StartError is { } error ? $"could not run ({error})"
        : $"exited with code {result.ExitCode}";

    public static string Lines(EngineResult result)
    {
        IReadOnlyList<string> lines = EngineProcess.LinesThatMatter(result.Tail);
        return lines.Count == 0 ? "(no output)" : Environment.NewLine + string.Join(Environment.NewLine, lines.Select(l => "  | " + l));
    }
}
