using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images;
using ContainerSdk.Model;

namespace ContainerSdk.Generation;

public sealed record GenerationResult(ContainerSpec? Spec, string? Dockerfile, string? IgnoreFile, IReadOnlyList<ContainerDiagnostic> Diagnostics)
{
    public bool Succeeded => Diagnostics.All(d => !d.IsError);
}

/// <summary>The pure pipeline: inputs → spec → model → text. Writing is separate (<see cref="GeneratedFileWriter"/>).</summary>
public static class DockerfileGenerator
{
    public static GenerationResult Generate(ContainerInputs inputs, BaseImageCatalog? catalog = null)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        var spec = ContainerSpecFactory.Create(inputs, diagnostics, catalog);
        if (spec is null || diagnostics.Any(d => d.IsError))
        {
            return new GenerationResult(null, null, null, diagnostics);
        }

        var dockerfile = DockerfileRenderer.Render(spec, DockerfileBuilder.Build(spec));
        return new GenerationResult(spec, dockerfile, IgnoreFile.Render(spec), diagnostics);
    }
}
