using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Generation;

public sealed record PlannedFile(string Path, string Content, bool IsIgnoreFile = false);

public enum WriteOutcome
{
    Written,
    Unchanged,
    KeptUserFile,
}

/// <summary>
/// Writes generated files all-or-nothing: every file is inspected first; a hand-edited or foreign file is kept
/// (with a warning) unless overwrite is asked for; writes go through a temporary file and a rename.
/// </summary>
public static class GeneratedFileWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="editedCode">The warning for a file edited by hand (its message names the command that regenerates it).</param>
    /// <param name="foreignCode">The warning for a file ContainerSdk did not write.</param>
    public static IReadOnlyList<(PlannedFile File, WriteOutcome Outcome)> Write(
        IReadOnlyList<PlannedFile> files, bool overwrite, List<ContainerDiagnostic> diagnostics,
        string editedCode = "CSDK2001", string foreignCode = "CSDK2002")
    {
        var decisions = new List<(PlannedFile File, WriteOutcome Outcome)>();
        foreach (var file in files)
        {
            decisions.Add((file, Decide(file, overwrite, diagnostics, editedCode, foreignCode)));
        }

        // A Dockerfile the user owns keeps the ignore file beside it as it is: writing ours would change what their
        // build copies.
        if (decisions.Any(d => !d.File.IsIgnoreFile && d.Outcome == WriteOutcome.KeptUserFile))
        {
            decisions = decisions.Select(d => d.File.IsIgnoreFile && d.Outcome == WriteOutcome.Written ? (d.File, WriteOutcome.KeptUserFile) : d).ToList();
        }

        if (diagnostics.Any(d => d.IsError))
        {
            return decisions.Select(d => (d.File, d.Outcome == WriteOutcome.Written ? WriteOutcome.KeptUserFile : d.Outcome)).ToList();
        }

        foreach (var (file, outcome) in decisions.Where(d => d.Outcome == WriteOutcome.Written))
        {
            try
            {
                var directory = Path.GetDirectoryName(file.Path);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                var temp = file.Path + ".containersdk-" + Guid.NewGuid().ToString("N") + ".tmp";
                File.WriteAllText(temp, file.Content, Utf8NoBom);
                if (File.Exists(file.Path))
                {
                    File.Replace(temp, file.Path, null);
                }
                else
                {
                    File.Move(temp, file.Path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(ContainerDiagnostic.Error("CSDK2008", file.Path, e.Message));
            }
        }

        return decisions;
    }

    private static WriteOutcome Decide(PlannedFile file, bool overwrite, List<ContainerDiagnostic> diagnostics, string editedCode, string foreignCode)
    {
        if (!File.Exists(file.Path))
        {
            return WriteOutcome.Written;
        }

        var existing = File.ReadAllText(file.Path);
        if (string.Equals(existing, file.Content, StringComparison.Ordinal))
        {
            return WriteOutcome.Unchanged;
        }

        if (overwrite)
        {
            return WriteOutcome.Written;
        }

        switch (GeneratedText.Inspect(existing))
        {
            case GeneratedFileState.Unedited:
                return WriteOutcome.Written;
            case GeneratedFileState.Edited:
                diagnostics.Add(ContainerDiagnostic.Warning(editedCode, file.Path));
                return WriteOutcome.KeptUserFile;
            default:
                if (file.IsIgnoreFile)
                {
                    var missing = IgnoreFile.MissingExclusions(existing);
                    if (missing.Count > 0)
                    {
                        diagnostics.Add(ContainerDiagnostic.Warning("CSDK2004", file.Path, string.Join(", ", missing)));
                    }
                }
                else
                {
                    diagnostics.Add(ContainerDiagnostic.Warning(foreignCode, file.Path));
                }

                return WriteOutcome.KeptUserFile;
        }
    }
}
