using System.Collections;
using Microsoft.Build.Framework;

namespace ContainerSdk.Testing;

/// <summary>Records what a task logs, so tests can assert on codes, files and lines (and print all on failure). Linked
/// into each test project that runs a task in-process.</summary>
internal sealed class TestBuildEngine : IBuildEngine
{
    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<string> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => true;

    public void LogCustomEvent(CustomBuildEventArgs e) => Messages.Add(e.Message ?? "");

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? "");

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);

    /// <summary>Everything logged, one line each, for failure messages and for "never contains the secret" checks.</summary>
    public string Log =>
        string.Join("\n", Warnings.Select(w => $"warning {w.Code} {w.File}({w.LineNumber},{w.ColumnNumber}): {w.Message}")
            .Concat(Errors.Select(e => $"error {e.Code} {e.File}({e.LineNumber},{e.ColumnNumber}): {e.Message}"))
            .Concat(Messages));
}
