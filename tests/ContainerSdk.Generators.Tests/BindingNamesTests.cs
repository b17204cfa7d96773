using ContainerSdk.Generators.Bindings;

namespace ContainerSdk.Generators.Tests;

public sealed class BindingNamesTests
{
    [Theory]
    [InlineData("resnet50-v2.7.onnx", "Resnet50V27Model")]
    [InlineData("text_model.onnx", "TextModel")]
    [InlineData("models/sub/text_model.onnx", "TextModel")]
    [InlineData("MODEL.onnx", "MODEL")]
    [InlineData("3d-unet.onnx", "_3dUnetModel")]
    [InlineData("bert.base.uncased.onnx", "BertBaseUncasedModel")]
    [InlineData("名前.onnx", "Model")]
    [InlineData("my model (final).onnx", "MyModelFinalModel")]
    public void Class_names_follow_the_documented_rule(string file, string expected) =>
        BindingNames.ClassNameFromFile(file).ShouldBe(expected);

    [Fact]
    public void Hostile_tensor_names_become_unique_valid_identifiers()
    {
        string[] names = ["onnx::Flatten_0", "x.1", "13", "class", "名前", "x-1", "x_1", "Input", "ToString", "", "###", "{\"a\": 1}", "Equals"];
        var result = BindingNames.PropertyNames(names);
        result.ShouldBe(["OnnxFlatten0", "X1", "_13", "Class", "名前", "X1_2", "X1_3", "Input_", "ToString_", "Value", "Value_2", "A1", "Equals_"]);
        result.ShouldAllBe(n => BindingNames.IsValidIdentifier(n));
    }

    [Fact]
    public void Parameter_names_are_camel_case_unique_and_escape_keywords()
    {
        var result = BindingNames.ParameterNames(["Class", "X1", "x1", "Int", "_13", "Value"]);
        result.ShouldBe(["@class", "x1", "x1_2", "@int", "_13", "value"]);
    }

    [Theory]
    [InlineData("Valid.Name", true)]
    [InlineData("Valid", true)]
    [InlineData("class", false)]
    [InlineData("Not-Valid", false)]
    [InlineData("A..B", false)]
    public void Namespaces_are_dotted_identifiers(string ns, bool valid) => BindingNames.IsValidNamespace(ns).ShouldBe(valid);
}
