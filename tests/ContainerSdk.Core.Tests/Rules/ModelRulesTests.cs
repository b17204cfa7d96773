using ContainerSdk.Model;
using ContainerSdk.Model.Rules;

namespace ContainerSdk.Core.Tests.Rules;

public class ModelRulesTests
{
    private static readonly string Context = ContextPaths.NormalizeDirectory(TestInputs.Context);

    [Theory]
    [InlineData("models/m.onnx", null, null, "models/m.onnx -> /app/models/m.onnx", "")]
    [InlineData("models/m.onnx", null, "/srv/models/", "models/m.onnx -> /srv/models/m.onnx", "")]
    [InlineData("models/m.onnx", "/opt/m.onnx", null, "models/m.onnx -> /opt/m.onnx", "")]
    [InlineData("models/m.onnx", "opt/m.onnx", null, "", "CSDK1018")]
    [InlineData("models/m.onnx", "/opt/", null, "", "CSDK1018")]
    [InlineData("models/m.onnx", "/opt/../m.onnx", null, "", "CSDK1018")]
    [InlineData("models/m.onnx", null, "models", "", "CSDK1018")]
    [InlineData("../outside.onnx", null, null, "", "CSDK1015")]
    public void Model(string path, string? containerPath, string? directory, string expected, string codes)
    {
        var parsed = ModelRules.Parse(Context, directory, [new ModelInput(TestInputs.P(path), containerPath)]);
        parsed.Codes().ShouldBe(codes);
        string.Join(";", parsed.Value.Select(m => m.Source + " -> " + m.Target)).ShouldBe(expected);
    }

    [Fact]
    public void Two_models_with_one_target_are_one() =>
        ModelRules.Parse(Context, null, [new ModelInput(TestInputs.P("a/m.onnx"), null), new ModelInput(TestInputs.P("b/m.onnx"), null)])
            .Value.Single().Source.ShouldBe("a/m.onnx");

    [Fact]
    public void External_data_keeps_its_place_beside_the_model()
    {
        var model = new ModelInput(TestInputs.P("models/m.onnx"), "/opt/x/m.onnx") { ExternalData = [TestInputs.P("models/data/w.bin")] };
        var parsed = ModelRules.Parse(Context, null, [model]);
        parsed.Succeeded.ShouldBeTrue();
        parsed.Value.Single().ExternalData.Single().ShouldBe(new ModelFile("models/data/w.bin", "/opt/x/data/w.bin"));
    }
}
