using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>The OCI labels from the project's metadata, then @(ContainerLabel) (CSDK1010, CSDK2015): a user's label of
/// the same name replaces the automatic one.</summary>
public static class LabelRules
{
    private static readonly Regex NamePattern = new("^[A-Za-z0-9][A-Za-z0-9._/-]{0,255}$", RegexOptions.CultureInvariant);

    /// <summary>The project metadata the automatic labels come from, as MSBuild states it.</summary>
    public sealed record Metadata(string AssemblyName, string? Title, string? Version, string? Description, string? Authors, string? SourceUrl);

    public static Parsed<List<NameValue>> Parse(Metadata metadata, ImageReference? runtimeImage, IReadOnlyList<NameValue> labels)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var auto = new List<NameValue>();
        void AddAuto(string name, string? value, string property, bool prose = false)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            // Prose metadata written for NuGet (several lines, long) is made fit for a label; identifiers are refused.
            var text = prose ? LabelText.Normalize(property, name, value!, diagnostics) : value!.Trim();
            if (text.Length > 0 && ValueRules.CheckValue(property, text, diagnostics))
            {
                auto.Add(new NameValue(name, text));
            }
        }

        AddAuto("org.opencontainers.image.title", string.IsNullOrWhiteSpace(metadata.Title) ? metadata.AssemblyName : metadata.Title, "Title", prose: true);
        AddAuto("org.opencontainers.image.version", metadata.Version, "Version");
        AddAuto("org.opencontainers.image.description", metadata.Description, "Description", prose: true);
        // The SDK defaults Authors to the assembly name, which says nothing about who made the image.
        AddAuto("org.opencontainers.image.authors", metadata.Authors == metadata.AssemblyName ? null : metadata.Authors, "Authors", prose: true);
        AddAuto("org.opencontainers.image.source", metadata.SourceUrl, "RepositoryUrl");
        if (runtimeImage is not null)
        {
            auto.Add(new NameValue("org.opencontainers.image.base.name", runtimeImage.ToString()));
        }

        var user = new List<NameValue>();
        foreach (var label in labels)
        {
            if (!NamePattern.IsMatch(label.Name))
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1010", ValueRules.Printable(label.Name)));
                continue;
            }

            if (ValueRules.CheckValue($"ContainerLabel '{label.Name}'", label.Value, diagnostics))
            {
                user.RemoveAll(l => l.Name == label.Name);
                user.Add(label);
            }
        }

        return Parsed.Of(auto.Where(a => user.All(u => u.Name != a.Name)).Concat(user).ToList(), diagnostics);
    }
}
