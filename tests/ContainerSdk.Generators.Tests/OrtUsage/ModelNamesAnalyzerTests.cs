using ContainerSdk.Generators.OrtUsage;
using Microsoft.CodeAnalysis;

namespace ContainerSdk.Generators.Tests.OrtUsage;

public sealed class ModelNamesAnalyzerTests
{
    private const string Id = "CSDK6001";

    private static OrtAnalyzerTest<ModelNamesAnalyzer> Test(string code) => new(code);

    [Fact]
    public async Task Wrong_NamedOnnxValue_and_output_names_are_reported_with_the_real_names_and_right_ones_are_not()
    {
        await Test("""
            using System.Collections.Generic;
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;

            class Scorer
            {
                public float[] Score(DenseTensor<float> tensor)
                {
                    using var session = new InferenceSession("models/mlp.onnx");
                    var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor({|#0:"input_1"|}, tensor) };
                    using var wrong = session.Run(inputs, new[] { {|#1:"output"|} });

                    var right = new List<NamedOnnxValue>();
                    right.Add(NamedOnnxValue.CreateFromTensor("features", tensor));
                    using var results = session.Run(right, new[] { "scores" });
                    return new float[0];
                }
            }
            """)
            .WithModel("models/mlp.onnx", ["features"], ["scores"])
            .Expect(Id, 0, "input_1", "an input", "models/mlp.onnx", "inputs", "'features'")
            .Expect(Id, 1, "output", "an output", "models/mlp.onnx", "outputs", "'scores'")
            .RunAsync();
    }

    [Fact]
    public async Task OrtValue_dictionary_keys_name_lists_and_collection_expressions_are_checked()
    {
        await Test("""
            using System.Collections.Generic;
            using Microsoft.ML.OnnxRuntime;

            class Scorer
            {
                public void Score(OrtValue value, InferenceSession injected)
                {
                    var session = new InferenceSession("/app/models/mlp.onnx");
                    var inputs = new Dictionary<string, OrtValue> { [{|#0:"x"|}] = value, ["features"] = value };
                    using var a = session.Run(new RunOptions(), inputs, [{|#1:"probs"|}, "scores"]);

                    var byAdd = new Dictionary<string, OrtValue>();
                    byAdd.Add({|#2:"input"|}, value);
                    byAdd.Add("features", value);
                    using var b = session.Run(new RunOptions(), byAdd, new List<string> { "scores" });

                    string[] names = { "features", {|#3:"Features"|} };
                    using var c = injected.Run(new RunOptions(), names, new[] { value, value }, new[] { "scores" });
                }
            }
            """)
            .WithModel("models/mlp.onnx", ["features"], ["scores"])
            .Expect(Id, 0, "x", "an input", "models/mlp.onnx", "inputs", "'features'")
            .Expect(Id, 1, "probs", "an output", "models/mlp.onnx", "outputs", "'scores'")
            .Expect(Id, 2, "input", "an input", "models/mlp.onnx", "inputs", "'features'")
            .Expect(Id, 3, "Features", "an input", "models/mlp.onnx", "inputs", "'features'")
            .RunAsync();
    }

    [Fact]
    public async Task With_several_models_the_session_path_picks_the_model_through_fields_and_properties()
    {
        await Test("""
            using System;
            using System.IO;
            using System.Collections.Generic;
            using Microsoft.ML.OnnxRuntime;

            class Models
            {
                private readonly InferenceSession _text = new("models/text.onnx");
                private InferenceSession Image { get; } = new InferenceSession(Path.Combine(AppContext.BaseDirectory, "models", "image.onnx"));
                private readonly InferenceSession _assigned;
                private readonly InferenceSession _unknown;

                public Models(string path)
                {
                    _assigned = new InferenceSession($"{AppContext.BaseDirectory}/models/image.onnx");
                    _unknown = new InferenceSession(path);
                }

                public void Run(OrtValue v, InferenceSession parameter)
                {
                    using var a = _text.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["tokens"] = v }, new[] { {|#0:"pixels_out"|} });
                    using var b = Image.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["pixels"] = v }, new[] { "label", "box" });
                    using var c = _assigned.Run(new RunOptions(), new Dictionary<string, OrtValue> { [{|#1:"tokens"|}] = v }, new[] { "label" });
                    // The model of these is not known: nothing is reported.
                    using var d = _unknown.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["nope"] = v }, new[] { "nope" });
                    using var e = parameter.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["nope"] = v }, new[] { "nope" });
                    using var f = new InferenceSession("other.onnx").Run(new RunOptions(), new Dictionary<string, OrtValue> { ["nope"] = v }, new[] { "nope" });
                }
            }
            """)
            .WithModel("models/text.onnx", ["tokens"], ["embedding"])
            .WithModel("models/image.onnx", ["pixels"], ["label", "box"])
            .Expect(Id, 0, "pixels_out", "an output", "models/text.onnx", "outputs", "'embedding'")
            .Expect(Id, 1, "tokens", "an input", "models/image.onnx", "inputs", "'pixels'")
            .RunAsync();
    }

    [Fact]
    public async Task IoBinding_names_and_metadata_lookups_are_checked_but_probes_are_not()
    {
        await Test("""
            using Microsoft.ML.OnnxRuntime;

            class Scorer
            {
                public void Score(OrtValue v, OrtMemoryInfo memory)
                {
                    using var session = new InferenceSession("models/mlp.onnx");
                    using var binding = session.CreateIoBinding();
                    binding.BindInput({|#0:"input"|}, v);
                    binding.BindInput("features", v);
                    binding.BindOutput({|#1:"logits"|}, v);
                    binding.BindOutputToDevice("scores", memory);
                    var dims = session.InputMetadata[{|#2:"x"|}].Dimensions;
                    var ok = session.OutputMetadata["scores"].Dimensions;
                    bool optional = session.InputMetadata.ContainsKey("token_type_ids");
                }
            }
            """)
            .WithModel("models/mlp.onnx", ["features"], ["scores"])
            .Expect(Id, 0, "input", "an input", "models/mlp.onnx", "inputs", "'features'")
            .Expect(Id, 1, "logits", "an output", "models/mlp.onnx", "outputs", "'scores'")
            .Expect(Id, 2, "x", "an input", "models/mlp.onnx", "inputs", "'features'")
            .RunAsync();
    }

    [Fact]
    public async Task Names_kept_in_fields_and_properties_of_the_type_are_checked()
    {
        await Test("""
            using System.Collections.Generic;
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;

            class Scorer
            {
                private static readonly string InputName = {|#0:"input"|};
                private const string Right = "features";
                private readonly string[] _outputs = { {|#1:"logits"|}, "scores" };
                private IReadOnlyList<string> Outputs { get; } = new List<string> { "scores" };
                private readonly InferenceSession _session = new("models/mlp.onnx");
                private readonly InferenceSession? _maybe = new InferenceSession("models/mlp.onnx");

                public void Score(DenseTensor<float> t)
                {
                    using var a = _session.Run(new[] { NamedOnnxValue.CreateFromTensor(InputName, t) }, _outputs);
                    using var b = _session.Run(new[] { NamedOnnxValue.CreateFromTensor(Right, t) }, Outputs);
                    using var c = _maybe?.Run(new[] { NamedOnnxValue.CreateFromTensor({|#2:"x"|}, t) });
                }
            }
            """)
            .WithModel("models/mlp.onnx", ["features"], ["scores"])
            .Expect(Id, 0, "input", "an input", "models/mlp.onnx", "inputs", "'features'")
            .Expect(Id, 1, "logits", "an output", "models/mlp.onnx", "outputs", "'scores'")
            .Expect(Id, 2, "x", "an input", "models/mlp.onnx", "inputs", "'features'")
            .WithModel("models/other.onnx", ["a"], ["b"])
            .RunAsync();
    }

    [Fact]
    public async Task Model_paths_are_followed_through_locals_and_string_fields()
    {
        await Test("""
            using System;
            using System.IO;
            using System.Collections.Generic;
            using Microsoft.ML.OnnxRuntime;

            class Models : IDisposable
            {
                private static readonly string ImagePath = Path.Combine(AppContext.BaseDirectory, ImageFile);
                private const string ImageFile = "models/image.onnx";
                private InferenceSession? _image;

                public void Load() => _image = new InferenceSession(ImagePath);

                public void Dispose()
                {
                    _image?.Dispose();
                    _image = null;
                }

                public void Run(OrtValue v)
                {
                    using var a = _image!.Run(new RunOptions(), new Dictionary<string, OrtValue> { [{|#0:"tokens"|}] = v }, new[] { "label" });
                    var textPath = "models/" + "text.onnx";
                    var folder = AppContext.BaseDirectory;
                    string local = Path.Combine(folder, textPath);
                    using var text = new InferenceSession(local);
                    using var b = text.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["tokens"] = v }, new[] { {|#1:"label"|} });
                }
            }
            """)
            .WithModel("models/text.onnx", ["tokens"], ["embedding"])
            .WithModel("models/image.onnx", ["pixels"], ["label", "box"])
            .Expect(Id, 0, "tokens", "an input", "models/image.onnx", "inputs", "'pixels'")
            .Expect(Id, 1, "label", "an output", "models/text.onnx", "outputs", "'embedding'")
            .RunAsync();
    }

    [Fact]
    public async Task Top_level_statements_and_handler_lambdas_are_checked()
    {
        var test = Test("""
            using System.Collections.Generic;
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;

            var session = new InferenceSession("mlp.onnx");
            System.Func<DenseTensor<float>, float> score = tensor =>
            {
                var input = NamedOnnxValue.CreateFromTensor({|#0:"input"|}, tensor);
                var ok = NamedOnnxValue.CreateFromTensor("features", tensor);
                using var results = session.Run(new[] { input, ok });
                return 0;
            };
            """)
            .WithModel("models/mlp.onnx", ["features"], ["scores"])
            .Expect(Id, 0, "input", "an input", "models/mlp.onnx", "inputs", "'features'");
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    [Fact]
    public async Task Nothing_is_reported_without_models_or_for_strings_that_are_not_names()
    {
        const string code = """
            using System.Collections.Generic;
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;

            class Scorer
            {
                public void Score(DenseTensor<float> tensor, string name)
                {
                    using var session = new InferenceSession("models/mlp.onnx");
                    var label = "input_1";
                    System.Console.WriteLine(label);
                    var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(name, tensor) };
                    using var results = session.Run(inputs);
                }
            }
            """;
        await Test(code).WithModel("models/mlp.onnx", ["features"], ["scores"]).RunAsync();
        await Test(code.Replace("CreateFromTensor(name", "CreateFromTensor(\"wrong\"")).RunAsync();
    }

    [Theory]
    [InlineData("models/b.onnx", "models/b.onnx")]
    [InlineData("./models/b.onnx", "models/b.onnx")]
    [InlineData("/app/models/b.onnx", "models/b.onnx")]
    [InlineData("C:\\srv\\models\\b.onnx", "models/b.onnx")]
    [InlineData("/opt/other/b.onnx", "models/b.onnx")]
    [InlineData("b.onnx", "models/b.onnx")]
    [InlineData("models/c.onnx", null)]
    [InlineData("B.onnx", null)]
    public async Task The_path_rule_picks_one_model_of_several(string path, string? expected)
    {
        var literal = expected is null ? "\"nope\"" : "{|#0:\"nope\"|}";
        var test = Test($$"""
            using Microsoft.ML.OnnxRuntime;

            class Scorer
            {
                public void Score(OrtValue v)
                {
                    using var session = new InferenceSession(@"{{path}}");
                    using var r = session.Run(new RunOptions(), new[] { {{literal}} }, new[] { v }, new[] { "out_b" });
                }
            }
            """)
            .WithModel("models/a.onnx", ["in_a"], ["out_a"])
            .WithModel("models/b.onnx", ["in_b"], ["out_b"]);
        if (expected is not null)
        {
            test.Expect(Id, 0, "nope", "an input", expected, "inputs", "'in_b'");
        }

        await test.RunAsync();
    }

    [Theory]
    [InlineData("x/model.onnx", "models/x/model.onnx")]
    [InlineData("/app/models/y/model.onnx", "models/y/model.onnx")]
    [InlineData("models/y/model.onnx", "models/y/model.onnx")]
    [InlineData("model.onnx", null)]
    [InlineData("z/model.onnx", null)]
    public async Task Models_with_the_same_file_name_are_told_apart_by_their_folders(string path, string? expected)
    {
        var literal = expected is null ? "\"nope\"" : "{|#0:\"nope\"|}";
        var test = Test($$"""
            using Microsoft.ML.OnnxRuntime;

            class Scorer
            {
                public void Score(OrtValue v)
                {
                    using var session = new InferenceSession("{{path}}");
                    using var r = session.Run(new RunOptions(), new[] { {{literal}} }, new[] { v }, new[] { "out" });
                }
            }
            """)
            .WithModel("models/x/model.onnx", ["in_x"], ["out"], "/app/models/x/model.onnx")
            .WithModel("models/y/model.onnx", ["in_y"], ["out"], "/app/models/y/model.onnx");
        if (expected is not null)
        {
            test.Expect(Id, 0, "nope", "an input", expected, "inputs", expected.Contains("/x/") ? "'in_x'" : "'in_y'");
        }

        await test.RunAsync();
    }
}
