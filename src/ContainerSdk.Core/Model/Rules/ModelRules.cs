using System;
using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>@(ContainerModel) and ContainerModelDirectory: each model's source in the context and its file in the
/// image, with its external-data files beside it (CSDK1018, CSDK1014, CSDK1015).</summary>
public static class ModelRules
{
    /// <param name="context">From <see cref="ContextPaths.NormalizeDirectory"/>.</param>
    /// <param name="modelDirectory">Where models without a ContainerPath go; empty: <see cref="ContainerDefaults.ModelDirectory"/>.</param>
    /// <param name="models">The items; a second model with the same target is dropped.</param>
    public static Parsed<List<ModelFile>> Parse(string context, string? modelDirectory, IReadOnlyList<ModelInput> models)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var directory = string.IsNullOrWhiteSpace(modelDirectory) ? ContainerDefaults.ModelDirectory : modelDirectory!.Trim().TrimEnd('/');
        var result = new List<ModelFile>();
        foreach (var model in models)
        {
            var source = ContextPaths.Relative(context, model.Path, diagnostics, required: true);
            if (source is null)
            {
                continue;
            }

            var target = string.IsNullOrWhiteSpace(model.ContainerPath)
                ? directory + "/" + source.Substring(source.LastIndexOf('/') + 1)
                : model.ContainerPath!.Trim();
            if (!WorkingDirectoryRules.IsImagePath(target) || target.EndsWith("/", StringComparison.Ordinal))
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1018", ValueRules.Printable(target), ValueRules.Printable(model.Path)));
                continue;
            }

            if (result.All(m => m.Target != target))
            {
                result.Add(new ModelFile(source, target) { ExternalData = ExternalData(context, model, target, diagnostics) });
            }
        }

        return Parsed.Of(result, diagnostics);
    }

    /// <summary>External-data files keep their location relative to the model, in the target's folder.</summary>
    private static List<ModelFile> ExternalData(string context, ModelInput model, string target, List<ContainerDiagnostic> diagnostics)
    {
        var modelFolder = System.IO.Path.GetDirectoryName(model.Path) ?? "";
        var targetFolder = target.Substring(0, target.LastIndexOf('/'));
        var external = new List<ModelFile>();
        foreach (var data in model.ExternalData)
        {
            var dataSource = ContextPaths.Relative(context, data, diagnostics, required: true);
            var location = data.Substring(modelFolder.Length).Replace('\\', '/').TrimStart('/');
            if (dataSource is not null)
            {
                external.Add(new ModelFile(dataSource, targetFolder + "/" + location));
            }
        }

        return external;
    }
}
