using System.Resources;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ContainerSdk.Tests.Resources;

/// <summary>Compiled .resx streams and small assemblies that embed them, for the resource scan tests.</summary>
internal static class TestResources
{
    public static byte[] Resources(Action<ResourceWriter> fill)
    {
        using var stream = new MemoryStream();
        using (var writer = new ResourceWriter(stream))
        {
            fill(writer);
            writer.Generate();
        }

        return stream.ToArray();
    }

    public static byte[] Assembly(string name, params (string Name, byte[] Bytes)[] resources)
    {
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText("public static class Marker { }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream, manifestResources: resources.Select(r => new ResourceDescription(r.Name, () => new MemoryStream(r.Bytes), isPublic: true)));
        result.Success.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    }
}
