namespace OnnxModels;

/// <summary>The models the samples ship, by the name the samples use.</summary>
public static class SampleModels
{
    public const int ScorerFeatures = 8;
    public const int ScorerScores = 3;

    /// <summary>BindingInference's <c>models/scorer.onnx</c>: the MLP with 8 features, 16 hidden units and 3 scores
    /// (input <c>features</c> float[batch, 8], output <c>scores</c> float[batch, 3]; about 1 KB).</summary>
    public static byte[] Scorer() => MlpModel.Build(inputs: ScorerFeatures, hidden: 16, outputs: ScorerScores);
}
