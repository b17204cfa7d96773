using ContainerSdk.Testing;
using System.Collections;
using System.Reflection;
using ContainerSdk.Generators.Bindings;
using ContainerSdk.Onnx.Signatures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.ML.OnnxRuntime.Tensors;
using TensorElementType = ContainerSdk.Onnx.Signatures.TensorElementType;
using static ContainerSdk.Generators.Tests.GeneratorHarness;

namespace ContainerSdk.Generators.Tests;

public sealed class ModelBindingGeneratorTests
{
    private static readonly TensorElementType[] Supported =
    [
        TensorElementType.Float, TensorElementType.Double, TensorElementType.Float16, TensorElementType.BFloat16,
        TensorElementType.Int8, TensorElementType.UInt8, TensorElementType.Int16, TensorElementType.UInt16,
        TensorElementType.Int32, TensorElementType.UInt32, TensorElementType.Int64, TensorElementType.UInt64,
        TensorElementType.Bool, TensorElementType.String,
    ];

    internal static TestModel Mlp => new("models/mlp.onnx", Signature(
        [Tensor("features", TensorElementType.Float, "batch", 16)],
        [Tensor("scores", TensorElementType.Float, "batch", 4)]));

    internal static TestModel Hostile => new("models/hostile names.onnx", Signature(
        [Tensor("onnx::Flatten_0", TensorElementType.Float, 1, 3), Tensor("x.1", TensorElementType.Int64, "n"), Tensor("13", TensorElementType.Bool),
         Tensor("class", TensorElementType.String, "n"), Tensor("名前", TensorElementType.Float16, "?"), Tensor("x-1", TensorElementType.UInt8, 2), Tensor("x_1", TensorElementType.UInt8, 2),
         Tensor("Input", TensorElementType.Double, "n", "n")],
        [Tensor("{\"a\": 1, \"b\": [2]}", TensorElementType.Float, 1, 3), Tensor("ToString", TensorElementType.Int64, "n"), Tensor("out\nline\"quote\\", TensorElementType.Float, 1, 3)],
        producer: "pytorch\u2028<evil>"));

    internal static TestModel AllTypes => new("all_types.onnx", Signature(
        Supported.Select(t => Tensor("in_" + SignatureText.ElementName(t), t, "N", 2)),
        Supported.Select(t => Tensor("out_" + SignatureText.ElementName(t), t, "N", 2))));

    [Fact]
    public void Generated_sources_match_the_golden_files()
    {
        var (run, compile) = Generate([Mlp, Hostile, AllTypes]);
        compile.ShouldBeEmpty();
        var sources = run.Results.Single().GeneratedSources;
        sources.Select(s => s.HintName).OrderBy(n => n).ShouldBe(["AllTypesModel.g.cs", "HostileNamesModel.g.cs", "MlpModel.g.cs"]);
        foreach (var source in sources)
        {
            Golden.Check(source.HintName, source.SourceText.ToString());
        }
    }

    [Fact]
    public void Every_element_type_scalars_and_200_inputs_compile_without_warnings_with_documentation_diagnostics()
    {
        var scalar = new TestModel("scalar.onnx", Signature([Tensor("a", TensorElementType.Float), Tensor("b", TensorElementType.Float)], [Tensor("sum", TensorElementType.Float)]));
        var many = new TestModel("many.onnx", Signature(Enumerable.Range(0, 200).Select(i => Tensor("i" + i, TensorElementType.Float, 1)), [Tensor("total", TensorElementType.Float, 1)]));
        var rankless = new TestModel("rankless.onnx", Signature(
            [new ValueSignature("x", ValueKind.Tensor, TensorElementType.Int32, null, "tensor(int32)")],
            [new ValueSignature("y", ValueKind.Tensor, TensorElementType.Int32, null, "tensor(int32)")]));
        var driver = Driver([AllTypes, Hostile, scalar, many, rankless]);
        var compilation = CSharpCompilation.Create("App", [], References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
        var docParse = Parse.WithDocumentationMode(DocumentationMode.Diagnose);
        driver = driver.WithUpdatedParseOptions(docParse);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        generatorDiagnostics.ShouldBeEmpty();
        output.SyntaxTrees.Count().ShouldBe(5);
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ShouldBeEmpty();
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        string Text() => string.Join("\n", Generate([Hostile, Mlp]).Run.Results.Single().GeneratedSources.Select(s => s.HintName + s.SourceText));
        Text().ShouldBe(Text());
    }

    [Fact]
    public void An_edit_of_unrelated_code_leaves_every_step_cached()
    {
        var models = Enumerable.Range(0, 20).Select(i => Mlp with { ModelFile = $"models/m{i}.onnx" }).ToList();
        var compilation = Compilation("class A { }");
        var driver = Driver(models).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { int X => 1; }", Parse)));

        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var name in new[] { ModelBindingGenerator.InputsStep, ModelBindingGenerator.PlansStep, ModelBindingGenerator.OutputStep })
        {
            steps.ShouldContainKey(name);
            steps[name].SelectMany(s => s.Outputs).Select(o => o.Reason)
                .ShouldAllBe(r => r == IncrementalStepRunReason.Cached || r == IncrementalStepRunReason.Unchanged, name);
        }

        driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .ShouldAllBe(o => o.Reason == IncrementalStepRunReason.Cached || o.Reason == IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_changed_model_reruns_its_plan_and_the_others_stay_cached()
    {
        var a = Mlp with { ModelFile = "a.onnx" };
        var b = Mlp with { ModelFile = "b.onnx" };
        var driver = Driver([a, b]).RunGenerators(Compilation());
        var changedB = b with { Signature = Signature([Tensor("features", TensorElementType.Float, "batch", 32)], [Tensor("scores", TensorElementType.Float, "batch", 4)]) };
        var driver2 = Driver([a, changedB]).RunGenerators(Compilation());
        driver2.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "BModel.g.cs").SourceText.ToString().ShouldContain("!= 32");
        driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "BModel.g.cs").SourceText.ToString().ShouldContain("!= 16");
    }

    [Fact]
    public void Pipeline_outputs_hold_no_symbols_syntax_locations_or_compilations()
    {
        var driver = Driver([Mlp, Hostile]).RunGenerators(Compilation("class A { }"));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var step in steps.Where(s => s.Key.StartsWith("ContainerSdk.", StringComparison.Ordinal)).SelectMany(s => s.Value))
        {
            foreach (var (value, _) in step.Outputs)
            {
                ForbiddenTypes(value, []).ShouldBeEmpty(step.Name);
            }
        }
    }

    [Fact]
    public void Non_tensor_values_give_CSDK6010_and_no_binding()
    {
        var seq = new TestModel("seq.onnx", Signature([new ValueSignature("items", ValueKind.Sequence, TensorElementType.Undefined, null, "seq(tensor(float))")], [Tensor("n", TensorElementType.Int64)]));
        var complex = new TestModel("complex.onnx", Signature([Tensor("z", TensorElementType.Complex64, 2)], [Tensor("y", TensorElementType.Float, 2)]));
        var (run, compile) = Generate([seq, complex, Mlp]);
        compile.ShouldBeEmpty();
        run.Results.Single().GeneratedSources.Select(s => s.HintName).ShouldBe(["MlpModel.g.cs"]);
        var diagnostics = run.Diagnostics.Select(d => (d.Id, d.Severity, Message: d.GetMessage())).ToList();
        diagnostics.Count.ShouldBe(2);
        diagnostics.ShouldAllBe(d => d.Id == "CSDK6010" && d.Severity == DiagnosticSeverity.Warning);
        diagnostics.ShouldContain(d => d.Message.Contains("'items' is a sequence (seq(tensor(float)))"));
        diagnostics.ShouldContain(d => d.Message.Contains("'z' is a tensor of complex64"));
    }

    [Fact]
    public void A_project_without_ONNX_Runtime_gets_no_binding_rather_than_code_that_cannot_compile()
    {
        var withoutOrt = CSharpCompilation.Create("App", [], References.Where(r => !(r.Display ?? "").Contains("OnnxRuntime", StringComparison.Ordinal)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Driver([Mlp]).RunGeneratorsAndUpdateCompilation(withoutOrt, out var output, out var diagnostics);
        diagnostics.ShouldBeEmpty();
        output.SyntaxTrees.ShouldBeEmpty();
        output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
    }

    [Fact]
    public void Metadata_names_the_class_and_namespace_and_can_turn_the_binding_off()
    {
        var (run, compile) = Generate([
            Mlp with { ClassName = "Scorer", Namespace = "Team.Models" },
            Mlp with { ModelFile = "off.onnx", GenerateBinding = "false" },
        ], "namespace App { static class Use { static object M() => Team.Models.Scorer.InputNames; } }");
        compile.ShouldBeEmpty();
        run.Results.Single().GeneratedSources.Select(s => s.HintName).ShouldBe(["Scorer.g.cs"]);
        run.Diagnostics.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("class", "", "CSDK6012")]
    [InlineData("Not-Valid", "", "CSDK6012")]
    [InlineData("Output", "", "CSDK6012")]
    [InlineData("Fine", "Bad..Namespace", "CSDK6012")]
    public void Invalid_names_are_CSDK6012_errors(string className, string ns, string code)
    {
        var (run, _) = Generate([Mlp with { ClassName = className, Namespace = ns }]);
        run.Diagnostics.Single().Id.ShouldBe(code);
        run.Diagnostics.Single().Severity.ShouldBe(DiagnosticSeverity.Error);
        run.Results.Single().GeneratedSources.ShouldBeEmpty();
    }

    [Fact]
    public void Two_models_with_one_class_name_are_CSDK6013_and_the_first_wins()
    {
        var (run, compile) = Generate([Mlp with { ModelFile = "a/model.onnx" }, Mlp with { ModelFile = "b/model.onnx" }]);
        compile.ShouldBeEmpty();
        run.Results.Single().GeneratedSources.Select(s => s.HintName).ShouldBe(["Model.g.cs"]);
        var d = run.Diagnostics.Single();
        d.Id.ShouldBe("CSDK6013");
        d.GetMessage().ShouldContain("a/model.onnx");
        d.GetMessage().ShouldContain("b/model.onnx");
    }

    [Fact]
    public void An_unreadable_signature_is_CSDK6011()
    {
        var plan = BindingPlanner.Plan(new SignatureFileInput("/obj/x.signature", "garbage", "x.onnx", "", "", "", "/app/x.onnx", "x.onnx"), new BindingGlobals("App", "1"));
        plan.Plan.ShouldBeNull();
        plan.Diagnostics.Single().Descriptor.Id.ShouldBe("CSDK6011");
    }

    [Fact]
    public void Shape_checks_name_the_input_with_expected_and_actual_shapes()
    {
        var model = new TestModel("pair.onnx", Signature(
            [Tensor("input_ids", TensorElementType.Int64, "batch", "seq"), Tensor("mask", TensorElementType.Int64, "batch", "seq"), Tensor("scale", TensorElementType.Float), Tensor("image", TensorElementType.Float, "batch", 3, "?")],
            [Tensor("y", TensorElementType.Float, "batch")]));
        var type = Load(model, "App.PairModel");
        var input = type.GetNestedType("Input")!;
        var validate = type.GetMethod("__Validate", BindingFlags.NonPublic | BindingFlags.Static)!;

        object Make(int[] ids, int[] mask, int[] scale, int[] image) => Activator.CreateInstance(input,
            new DenseTensor<long>(ids), new DenseTensor<long>(mask), new DenseTensor<float>(scale), new DenseTensor<float>(image))!;
        string? Error(object value)
        {
            try
            {
                validate.Invoke(null, [value]);
                return null;
            }
            catch (TargetInvocationException e) when (e.InnerException is ArgumentException a)
            {
                return a.Message;
            }
        }

        Error(Make([2, 5], [2, 5], [], [2, 3, 7])).ShouldBeNull();
        Error(Make([1, 1], [1, 1], [], [1, 3, 1])).ShouldBeNull();
        Error(Make([2, 5], [2, 6], [], [2, 3, 7])).ShouldBe("Input 'mask' (Mask) has shape [2, 6]; the model expects [batch, seq], and 'seq' is 5 in an earlier dimension. (Parameter 'input')");
        Error(Make([2, 5], [2, 5], [], [4, 3, 7])).ShouldStartWith("Input 'image' (Image) has shape [4, 3, 7]; the model expects [batch, 3, ?], and 'batch' is 2");
        Error(Make([2, 5], [2, 5], [], [2, 4, 7])).ShouldStartWith("Input 'image' (Image) has shape [2, 4, 7]; the model expects [batch, 3, ?].");
        Error(Make([2, 5], [2, 5], [1], [2, 3, 7])).ShouldStartWith("Input 'scale' (Scale) has shape [1]; the model expects [] (scalar).");
        Error(Make([10], [2, 5], [], [2, 3, 7])).ShouldStartWith("Input 'input_ids' (InputIds) has shape [10]; the model expects [batch, seq].");
    }

    [Fact]
    public void Names_and_metadata_are_exposed_in_model_order()
    {
        var type = Load(Hostile, "App.HostileNamesModel");
        ((IReadOnlyList<string>)type.GetProperty("InputNames")!.GetValue(null)!).ShouldBe(Hostile.Signature.Inputs.Select(i => i.Name));
        ((IReadOnlyList<string>)type.GetProperty("OutputNames")!.GetValue(null)!).ShouldBe(Hostile.Signature.Outputs.Select(i => i.Name));
        type.GetField("Producer")!.GetValue(null).ShouldBe("pytorch\u2028<evil>");
        type.GetField("Opset")!.GetValue(null).ShouldBe(17L);
        ((IReadOnlyDictionary<string, string>)type.GetProperty("Metadata")!.GetValue(null)!)["purpose"].ShouldBe("tests");
        type.GetNestedType("Input")!.GetConstructors().Single().GetParameters().Select(p => p.Name)
            .ShouldBe(["OnnxFlatten0", "X1", "_13", "Class", "名前", "X1_2", "X1_3", "Input_"]);
        type.GetNestedType("Output")!.GetConstructors().Single().GetParameters().Select(p => p.Name)
            .ShouldBe(["A1B2", "ToString_", "OutLineQuote"]);
    }

    private static Type Load(TestModel model, string typeName)
    {
        Driver([model]).RunGeneratorsAndUpdateCompilation(Compilation(), out var output, out _);
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        emit.Success.ShouldBeTrue(string.Join("\n", emit.Diagnostics));
        return Assembly.Load(stream.ToArray()).GetType(typeName, throwOnError: true)!;
    }

    private static IEnumerable<string> ForbiddenTypes(object? value, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            yield break;
        }

        if (value is ISymbol or SyntaxNode or SyntaxTree or Microsoft.CodeAnalysis.Compilation or Location or SemanticModel)
        {
            yield return value.GetType().FullName!;
            yield break;
        }

        if (value is DiagnosticDescriptor)
        {
            yield break; // a value-equal catalog entry, not compilation state
        }

        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                foreach (var bad in ForbiddenTypes(item, seen))
                {
                    yield return bad;
                }
            }
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            foreach (var bad in ForbiddenTypes(property.GetValue(value), seen))
            {
                yield return bad;
            }
        }
    }
}
