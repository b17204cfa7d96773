using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ContainerSdk.Generators.Tests.OrtUsage;

/// <summary>
/// Microsoft.CodeAnalysis.Testing set up without network: the references are the running runtime's own assemblies
/// and ONNX Runtime's managed assembly (no native library is loaded), not a reference pack downloaded at test time.
/// ASP.NET Core is not referenced: the tests declare the few types the analyzers look for (<see cref="AspNetStubs"/>).
/// </summary>
internal sealed class OrtAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    private readonly List<string> metadata = [];

    public OrtAnalyzerTest(string code)
    {
        TestCode = code;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(References);
    }

    /// <summary>
    /// Adds a ContainerModel the way ContainerSdk.Models.targets hands it over: its signature file as an
    /// AdditionalFile with the model's metadata.
    /// </summary>
    public OrtAnalyzerTest<TAnalyzer> WithModel(string file, string[] inputs, string[] outputs, string? containerPath = null)
    {
        var path = "/0/obj/containersdk/models/" + file.Replace('/', '_') + ".signature";
        TestState.AdditionalFiles.Add((path, Signature(inputs, outputs)));
        metadata.Add($"""
            [{path}]
            build_metadata.AdditionalFiles.ContainerSdkModelSignature = true
            build_metadata.AdditionalFiles.ContainerSdkModelFile = {file}
            build_metadata.AdditionalFiles.ContainerSdkModelContainerPath = {containerPath ?? "/app/" + file}
            build_metadata.AdditionalFiles.ContainerSdkModelLocalPath = {file}

            """);
        TestState.AnalyzerConfigFiles.RemoveAll(f => f.filename == "/.globalconfig");
        TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Concat(metadata)));
        return this;
    }

    public OrtAnalyzerTest<TAnalyzer> Expect(string id, int location, params object[] arguments)
    {
        ExpectedDiagnostics.Add(new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(location).WithArguments(arguments));
        return this;
    }

    /// <summary>A signature file as the build writes it: float tensors with a symbolic batch dimension.</summary>
    public static string Signature(string[] inputs, string[] outputs) =>
        "containersdk-onnx-signature\t1\nir_version\t8\nproducer\ttests\t1.0\nopset\t\t17\n"
        + string.Concat(inputs.Select(n => $"input\t{n}\ttensor\tfloat\t2\t?batch\t16\n"))
        + string.Concat(outputs.Select(n => $"output\t{n}\ttensor\tfloat\t2\t?batch\t4\n"));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var files = new[] { "System.Runtime.dll", "System.Collections.dll", "System.Linq.dll", "System.Memory.dll", "System.Console.dll", "netstandard.dll", "System.Runtime.InteropServices.dll" }
            .Select(f => Path.Combine(runtime, f))
            .Append(typeof(object).Assembly.Location)
            .Append(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location);
        return files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray();
    }
}

/// <summary>The ASP.NET Core shapes the per-request analyzer recognizes, by name, declared in the test source.</summary>
internal static class AspNetStubs
{
    public const string Code = """

        namespace Microsoft.AspNetCore.Builder
        {
            public class WebApplication
            {
                public void Run() { }
            }

            public static class EndpointRouteBuilderExtensions
            {
                public static WebApplication MapGet(this WebApplication app, string pattern, System.Delegate handler) => app;
                public static WebApplication MapPost(this WebApplication app, string pattern, System.Delegate handler) => app;
            }

            public static class ServiceStubs
            {
                public static WebApplication AddSingleton<T>(this WebApplication app, System.Func<object, T> factory) => app;
            }
        }

        namespace Microsoft.AspNetCore.Mvc
        {
            public abstract class ControllerBase { }
            [System.AttributeUsage(System.AttributeTargets.Class)] public sealed class ApiControllerAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class HttpPostAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class NonActionAttribute : System.Attribute { }
        }
        """;
}
