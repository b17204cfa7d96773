using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Generation;

/// <param name="Owner">The context-relative path of the project this file is generated for, as its header names it.</param>
/// <param name="ContextDirectory">The build context, to tell whether the project another file names still exists.</param>
public sealed record PlannedFile(string Path, string Content, bool IsIgnoreFile = false, string? Owner = null, string? ContextDirectory = null);

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
        var owners = new List<(PlannedFile File, string Owner)>();
        foreach (var file in files)
        {
            decisions.Add((file, Decide(file, overwrite, diagnostics, owners, editedCode, foreignCode)));
        }

        // Two projects in one folder would take turns rewriting one Dockerfile: a file that belongs to another
        // project that still exists is never replaced, not even with overwrite. One warning names the first file.
        if (owners.Count > 0)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2014", owners[0].File.Path, owners[0].Owner));
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
                diagnostics.Add(ContainerDiagnostic.Create("CSDK2008", file.Path, e.Message));
            }
        }

        return decisions;
    }

    private static WriteOutcome Decide(PlannedFile file, bool overwrite, List<ContainerDiagnostic> diagnostics, List<(PlannedFile File, string Owner)> owners, string editedCode, string foreignCode)
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

        if (BelongsToAnotherProject(file, existing) is { } owner)
        {
            owners.Add((file, owner));
            return WriteOutcome.KeptUserFile;
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
                diagnostics.Add(ContainerDiagnostic.Create(editedCode, file.Path));
                // An edit that drops a secret exclusion is worse than an edit: say which ones are gone.
                AddMissingExclusions(file, existing, diagnostics);
                return WriteOutcome.KeptUserFile;
            default:
                if (file.IsIgnoreFile)
                {
                    AddMissingExclusions(file, existing, diagnostics);
                }
                else
                {
                    diagnostics.Add(ContainerDiagnostic.Create(foreignCode, file.Path));
                }

                return WriteOutcome.KeptUserFile;
        }
    }

    private static void AddMissingExclusions(PlannedFile file, string existing, List<ContainerDiagnostic> diagnostics)
    {
        if (!file.IsIgnoreFile)
        {
            return;
        }

        var missing = IgnoreFile.MissingExclusions(existing);
        if (missing.Count > 0)
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK2004", file.Path, string.Join(", ", missing)));
        }
    }

    /// <summary>The other project an existing generated file names, while that project still exists (a renamed or
    /// deleted project's file is this one's to replace).</summary>
    private static string? BelongsToAnotherProject(PlannedFile file, string existing)
    {
        if (file.Owner is null || GeneratedText.ReadOwner(existing) is not { } owner || string.Equals(owner, file.Owner, StringComparison.Ordinal))
        {
            return null;
        }

        var candidates = new List<string>();
        if (file.ContextDirectory is not null)
        {
            candidates.Add(Path.Combine(file.ContextDirectory, owner));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(file.Path));
        if (folder is not null)
        {
            candidates.Add(Path.Combine(folder, Path.GetFileName(owner)));
        }

        return candidates.Any(File.Exists) ? owner : null;
    }
}
