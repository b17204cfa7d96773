using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;

/// <summary>Collects what a task logs, for the benchmark.</summary>
internal sealed class QuietEngine : IBuildEngine
{
    public List<string> Warnings { get; } = [];

    public List<string> Messages { get; } = [];

    public int Files { get; private set; }

    public long Bytes { get; private set; }

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "benchmark.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => true;

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e) => Warnings.Add($"error {e.Code} {e.File}:{e.LineNumber} {e.Message}");

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        Messages.Add(e.Message ?? "");
        var m = Regex.Match(e.Message ?? "", @"scanned (\d+) published files \(([0-9.]+) MB\)");
        if (m.Success)
        {
            Files += int.Parse(m.Groups[1].Value);
            Bytes += (long)(double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) * 1048576);
        }
    }

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add($"{e.Code} {e.File}:{e.LineNumber} {e.Message}");
}
