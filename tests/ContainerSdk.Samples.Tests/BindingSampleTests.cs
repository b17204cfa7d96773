using Microsoft.ML.OnnxRuntime;
using OnnxModels;

namespace ContainerSdk.Samples.Tests;

/// <summary>
/// samples/BindingInference: the model it ships is the one OnnxModels writes, and the scores the image tests expect
/// from its POST /predict are ONNX Runtime's for that model. (The service itself needs the packed package's generator,
/// so it is built and called by tests/image/image-tests.sh, not here.)
/// </summary>
public sealed class BindingSampleTests
{
    private static string RepoFile(params string[] parts)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ContainerSdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine([dir ?? throw new DirectoryNotFoundException("repository root (ContainerSdk.sln) not found"), .. parts]);
    }

    [Fact]
    public void Scorer_model_bytes_are_the_ones_the_sample_ships()
    {
        SampleModels.Scorer().ShouldBe(File.ReadAllBytes(RepoFile("samples", "BindingInference", "models", "scorer.onnx")));
    }

    [Fact]
    public void Scorer_model_gives_the_scores_the_image_test_expects()
    {
        using var session = new InferenceSession(SampleModels.Scorer());
        session.InputNames.ShouldBe([MlpModel.InputName]);
        session.OutputNames.ShouldBe([MlpModel.OutputName]);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0];
        using var input = OrtValue.CreateTensorValueFromMemory(x, [2, SampleModels.ScorerFeatures]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [MlpModel.InputName], [input], [MlpModel.OutputName]);
        float[] scores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        // The same numbers as predict_check in tests/image/image-tests.sh.
        float[] expected = [1.254642f, 0.8808626f, 1.1789932f, 0.019420207f, 0.056692757f, -0.03954281f];
        scores.Length.ShouldBe(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            scores[i].ShouldBe(expected[i], 1e-5f);
        }
    }
}
