
namespace ContainerSdk.Package.Tests;

/// <summary>
/// The ONNX Runtime usage analyzers through the packed package: a real ContainerModel (written by make_models.py with
/// Debian's python3-onnx), its signature under obj/, and a Program.cs that names one tensor wrongly and one rightly.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ModelAnalyzerTests(PackageFixture package)
{
    [Theory]
    [InlineData(ReferenceMode.Sdk)]
    [InlineData(ReferenceMode.PackageReference)]
    public void A_wrong_tensor_name_is_one_CSDK6001_warning_that_lists_the_real_names_and_the_right_one_is_not(ReferenceMode mode)
    {
        var project = TestProject.Create(package, package.NewWorkspace("model-names"), "app", mode, web: false,
            items: """
                <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
                <ContainerModel Include="models/mlp.onnx" />
                """);
        WriteMlpModel(Path.Combine(project.Directory, "models"));
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), """
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;

            using var session = new InferenceSession(Path.Combine(AppContext.BaseDirectory, "models", "mlp.onnx"));
            var tensor = new DenseTensor<float>(new[] { 1, 16 });
            var right = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("features", tensor) };
            using var results = session.Run(right, new[] { "scores" });
            if (args.Length > 0)
            {
                var wrong = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input_1", tensor) };
                using var failing = session.Run(wrong);
            }

            Console.WriteLine(results.First().AsTensor<float>().Length);

            // Right names through the OrtValue API: nothing to report.
            using var value = OrtValue.CreateTensorValueFromMemory(new float[16], new long[] { 1, 16 });
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { ["features"] = value }, ["scores"]);
            Console.WriteLine(session.InputMetadata["features"].Dimensions.Length);
            """);

        var build = project.Build();

        build.ShouldSucceed();
        var csdk6 = build.Warnings.Where(w => w.Contains("warning CSDK6", StringComparison.Ordinal)).ToList();
        csdk6.Count.ShouldBe(1, "exactly one CSDK600x warning:\n" + string.Join("\n", build.Warnings));
        build.WarningCodes.ShouldNotContain("AD0001", "an analyzer threw:\n" + string.Join("\n", build.Warnings));
        csdk6[0].ShouldContain("Program.cs(10,");
        csdk6[0].ShouldContain("warning CSDK6001: 'input_1' is not an input of the model 'models/mlp.onnx'; its inputs are: 'features'");
    }

    private static void WriteMlpModel(string directory)
    {
        var all = Directory.CreateTempSubdirectory("containersdk-models-").FullName;
        try
        {
            ModelBindingTests.MakeModels(all);
            Directory.CreateDirectory(directory);
            File.Copy(Path.Combine(all, "mlp.onnx"), Path.Combine(directory, "mlp.onnx"));
        }
        finally
        {
            Directory.Delete(all, recursive: true);
        }
    }
}
