using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>The project, the Dockerfile, the restore inputs and the files the ignore file must keep, relative to the
/// build context.</summary>
public static class BuildContextRules
{
    /// <summary>The paths of the restore layer.</summary>
    /// <param name="ProjectPath">The project file; null when it is outside the context (an error).</param>
    /// <param name="DockerfilePath">For the build command in the Dockerfile's header.</param>
    /// <param name="RestoreInputs">Every restore input and the project file, sorted.</param>
    public sealed record Sources(string? ProjectPath, string DockerfilePath, IReadOnlyList<string> RestoreInputs);

    /// <param name="context">From <see cref="ContextPaths.NormalizeDirectory"/>.</param>
    public static Parsed<Sources> ParseSources(string context, string projectPath, string dockerfilePath, IReadOnlyList<string> restoreInputs)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        string? project = ContextPaths.Relative(context, projectPath, diagnostics, required: true);
        string dockerfile = string.IsNullOrEmpty(dockerfilePath)
            ? "Dockerfile"
            : ContextPaths.Relative(context, dockerfilePath, diagnostics, required: false) ?? Path.GetFileName(dockerfilePath);
        var restore = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in restoreInputs)
        {
            var relative = ContextPaths.Relative(context, path, diagnostics, required: true);
            if (relative is not null)
            {
                restore.Add(relative);
            }
        }

        if (project is not null)
        {
            restore.Add(project);
        }

        return Parsed.Of(new Sources(project, ValueRules.IsSafePath(dockerfile) ? dockerfile : "Dockerfile", restore.ToList()), diagnostics);
    }

    /// <returns>The restore inputs, the models and their external data, and the build-needed files inside the
    /// context (generated files under obj/ or bin/ excepted), sorted.</returns>
    public static Parsed<List<string>> ParseKeep(string context, IReadOnlyList<string> restoreInputs, IReadOnlyList<ModelFile> models, IReadOnlyList<string> buildNeededFiles)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var keep = new SortedSet<string>(restoreInputs.Concat(models.SelectMany(m => m.ExternalData.Select(e => e.Source).Prepend(m.Source))), StringComparer.Ordinal);
        foreach (var path in buildNeededFiles)
        {
            var relative = ContextPaths.Relative(context, path, diagnostics, required: false);
            // Generated sources under obj/ are rebuilt in the image; only real inputs need keeping.
            if (relative is not null && !relative.Split('/').Any(s => s is "obj" or "bin"))
            {
                keep.Add(relative);
            }
        }

        return Parsed.Of(keep.ToList(), diagnostics);
    }
}
