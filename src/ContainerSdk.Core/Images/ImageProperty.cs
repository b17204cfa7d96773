using System.Collections.Generic;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Images;

/// <summary>An image-valued property (ContainerBaseImage, ContainerSdkImage, ContainerDotnetRuntimeImage): the
/// reference it names, or its default when empty (CSDK1001).</summary>
public static class ImageProperty
{
    public static ImageReference? Parse(string property, string? value, string defaultValue, List<ContainerDiagnostic> diagnostics)
    {
        var text = string.IsNullOrWhiteSpace(value) ? defaultValue : value!.Trim();
        if (ImageReference.TryParse(text, out var image))
        {
            return image;
        }

        diagnostics.Add(ContainerDiagnostic.Create("CSDK1001", property, ValueRules.Printable(text)));
        return null;
    }
}
