using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ContainerSdk.Onnx.Signatures;
using static ContainerSdk.Generators.Bindings.CSharpText;

namespace ContainerSdk.Generators.Bindings;

/// <summary>The run path of a binding: <c>Run(Input)</c> with its shape checks, the zero-copy <c>Run(OrtValue...)</c>
/// and <c>RunInto</c>, and the private helpers they call.</summary>
public static partial class BindingEmitter
{
    private static void EmitRun(Writer w, BindingPlan plan)
    {
        var inputs = plan.Signature.Inputs;
        var outputs = plan.Signature.Outputs;
        w.Line("/// <summary>Runs the model. Shapes are checked first: rank, fixed sizes, and symbolic sizes shared between inputs.</summary>");
        w.Line("/// <param name=\"input\">The inputs. Dense tensors are passed to ONNX Runtime without a copy.</param>");
        w.Line("/// <returns>The outputs, copied out of ONNX Runtime's buffers.</returns>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">An input's shape does not fit the model; the message names it with the expected and actual shapes.</exception>");
        w.Line("public Output Run(Input input)");
        w.Open();
        w.Line("if (input is null)");
        w.Open();
        w.Line("throw new global::System.ArgumentNullException(nameof(input));");
        w.Close();
        w.Line();
        w.Line("__Validate(input);");
        w.Line($"var __values = new {OrtValue}[{inputs.Count}];");
        w.Line("try");
        w.Open();
        for (int i = 0; i < inputs.Count; i++)
        {
            string from = inputs[i].ElementType == TensorElementType.String ? "__StringOrtValue" : "__OrtValue";
            w.Line($"__values[{i}] = {from}(input.{plan.InputProperties[i]});");
        }

        w.Line("using (var __results = _session.Run(_runOptions, s_inputNames, __values, s_outputNames))");
        w.Open();
        var converted = outputs.Select((o, i) => o.ElementType == TensorElementType.String
            ? $"__StringTensor(__results[{i}])"
            : $"__Tensor<{BindingTypes.ClrType(o.ElementType)}>(__results[{i}])");
        w.Line("return new Output(" + string.Join(", ", converted) + ");");
        w.Close();
        w.Close();
        w.Line("finally");
        w.Open();
        w.Line("foreach (var __value in __values)");
        w.Open();
        w.Line("__value?.Dispose();");
        w.Close();
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitRawRuns(Writer w, BindingPlan plan)
    {
        var inputs = plan.Signature.Inputs;
        var outputs = plan.Signature.Outputs;
        var inputParams = BindingNames.ParameterNames(plan.InputProperties);
        var allParams = BindingNames.ParameterNames(plan.InputProperties.Concat(plan.OutputProperties));

        w.Line("/// <summary>");
        w.Line("/// Runs the model on <see cref=\"global::Microsoft.ML.OnnxRuntime.OrtValue\"/>s the caller owns (for example over pooled buffers), without copying");
        w.Line("/// or allocating beyond ONNX Runtime's own output buffers. ONNX Runtime checks the shapes. Dispose the result.");
        w.Line("/// </summary>");
        for (int i = 0; i < inputs.Count; i++)
        {
            w.Line($"/// <param name=\"{inputParams[i].TrimStart('@')}\">{Describe(inputs[i])}.</param>");
        }

        w.Line("/// <returns>The outputs in model order (<see cref=\"OutputNames\"/>).</returns>");
        w.Line($"public {Ort}IDisposableReadOnlyCollection<{OrtValue}> Run({string.Join(", ", inputParams.Select(p => OrtValue + " " + p))})");
        w.Open();
        w.Line($"var __in = t_inputs ??= new {OrtValue}[{inputs.Count}];");
        for (int i = 0; i < inputs.Count; i++)
        {
            w.Line($"__in[{i}] = {inputParams[i]} ?? throw new global::System.ArgumentNullException(nameof({inputParams[i]}));");
        }

        w.Line("try");
        w.Open();
        w.Line("return _session.Run(_runOptions, s_inputNames, __in, s_outputNames);");
        w.Close();
        w.Line("finally");
        w.Open();
        w.Line("global::System.Array.Clear(__in, 0, __in.Length);");
        w.Close();
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Runs the model from input <see cref=\"global::Microsoft.ML.OnnxRuntime.OrtValue\"/>s into output OrtValues the caller allocated with the");
        w.Line("/// outputs' shapes: the binding allocates nothing per call (ONNX Runtime keeps its own small bookkeeping). ONNX Runtime checks the shapes.");
        w.Line("/// </summary>");
        for (int i = 0; i < inputs.Count + outputs.Count; i++)
        {
            var value = i < inputs.Count ? inputs[i] : outputs[i - inputs.Count];
            w.Line($"/// <param name=\"{allParams[i].TrimStart('@')}\">{(i < inputs.Count ? "" : "Receives ")}{Describe(value)}.</param>");
        }

        w.Line($"public void RunInto({string.Join(", ", allParams.Select(p => OrtValue + " " + p))})");
        w.Open();
        w.Line($"var __in = t_inputs ??= new {OrtValue}[{inputs.Count}];");
        w.Line($"var __out = t_outputs ??= new {OrtValue}[{outputs.Count}];");
        for (int i = 0; i < inputs.Count + outputs.Count; i++)
        {
            string target = i < inputs.Count ? $"__in[{i}]" : $"__out[{i - inputs.Count}]";
            w.Line($"{target} = {allParams[i]} ?? throw new global::System.ArgumentNullException(nameof({allParams[i]}));");
        }

        w.Line("try");
        w.Open();
        w.Line("_session.Run(_runOptions, s_inputNames, __in, s_outputNames, __out);");
        w.Close();
        w.Line("finally");
        w.Open();
        w.Line("global::System.Array.Clear(__in, 0, __in.Length);");
        w.Line("global::System.Array.Clear(__out, 0, __out.Length);");
        w.Close();
        w.Close();
        w.Line();
    }

    private static void EmitValidation(Writer w, BindingPlan plan)
    {
        var inputs = plan.Signature.Inputs;
        var symbols = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var dim in inputs.SelectMany(i => i.Shape ?? EquatableArray<Dimension>.Empty).Where(d => d.Symbol is not null))
        {
            if (!symbols.ContainsKey(dim.Symbol!))
            {
                symbols[dim.Symbol!] = "__s" + symbols.Count.ToString(CultureInfo.InvariantCulture);
            }
        }

        w.Line("private static void __Validate(Input input)");
        w.Open();
        foreach (var pair in symbols)
        {
            w.Line($"long {pair.Value} = -1; // {Comment(pair.Key)}");
        }

        for (int i = 0; i < inputs.Count; i++)
        {
            var value = inputs[i];
            string property = plan.InputProperties[i];
            string args = $"{Lit(value.Name)}, {Lit(property)}, {Lit(BindingTypes.ShapeText(value))}";
            w.Line($"if (input.{property} is null)");
            w.Open();
            w.Line($"throw new global::System.ArgumentException(\"Input \" + {Lit("'" + value.Name + "' (" + property + ") is null.")}, nameof(input));");
            w.Close();
            if (value.Shape is not { } shape)
            {
                continue;
            }

            string d = "__d" + i.ToString(CultureInfo.InvariantCulture);
            w.Line($"global::System.ReadOnlySpan<int> {d} = input.{property}.Dimensions;");
            w.Line($"if ({d}.Length != {shape.Count})");
            w.Open();
            w.Line($"throw __Mismatch({args}, {d}, null);");
            w.Close();
            for (int k = 0; k < shape.Count; k++)
            {
                var dim = shape[k];
                string at = $"{d}[{k}]";
                if (dim.IsFixed)
                {
                    w.Line($"if ({at} != {Num(dim.Value)})");
                    w.Open();
                    w.Line($"throw __Mismatch({args}, {d}, null);");
                    w.Close();
                }
                else if (dim.Symbol is { } symbol)
                {
                    string s = symbols[symbol];
                    w.Line($"if ({s} < 0)");
                    w.Open();
                    w.Line($"{s} = {at};");
                    w.Close();
                    w.Line($"else if ({s} != {at})");
                    w.Open();
                    w.Line($"throw __Mismatch({args}, {d}, {Lit("'" + symbol + "' is ")} + {s}.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" in an earlier dimension\");");
                    w.Close();
                }
            }
        }

        w.Close();
        w.Line();
    }

    private static void EmitHelpers(Writer w, bool strings)
    {
        w.Line("private static global::System.ArgumentException __Mismatch(string name, string property, string expected, global::System.ReadOnlySpan<int> actual, string? detail)");
        w.Open();
        w.Line("var __text = new global::System.Text.StringBuilder(\"[\");");
        w.Line("for (int __i = 0; __i < actual.Length; __i++)");
        w.Open();
        w.Line("__text.Append(__i == 0 ? \"\" : \", \").Append(actual[__i].ToString(global::System.Globalization.CultureInfo.InvariantCulture));");
        w.Close();
        w.Line();
        w.Line("__text.Append(']');");
        w.Line("return new global::System.ArgumentException(\"Input '\" + name + \"' (\" + property + \") has shape \" + __text + \"; the model expects \" + expected + (detail is null ? \"\" : \", and \" + detail) + \".\", \"input\");");
        w.Close();
        w.Line();
        w.Line($"private static {OrtValue} __OrtValue<T>({Tensors}Tensor<T> tensor)");
        w.Line("    where T : unmanaged");
        w.Open();
        w.Line($"var __dense = tensor as {Tensors}DenseTensor<T> ?? tensor.ToDenseTensor();");
        w.Line("return " + OrtValue + ".CreateTensorValueFromMemory(" + Ort + "OrtMemoryInfo.DefaultInstance, __dense.Buffer, __Shape(tensor.Dimensions));");
        w.Close();
        w.Line();
        w.Line("private static long[] __Shape(global::System.ReadOnlySpan<int> dimensions)");
        w.Open();
        w.Line("var __shape = new long[dimensions.Length];");
        w.Line("for (int __i = 0; __i < __shape.Length; __i++)");
        w.Open();
        w.Line("__shape[__i] = dimensions[__i];");
        w.Close();
        w.Line();
        w.Line("return __shape;");
        w.Close();
        w.Line();
        w.Line("private static int[] __Dimensions(" + OrtValue + " value)");
        w.Open();
        w.Line("long[] __shape = value.GetTensorTypeAndShape().Shape;");
        w.Line("var __dims = new int[__shape.Length];");
        w.Line("for (int __i = 0; __i < __dims.Length; __i++)");
        w.Open();
        w.Line("__dims[__i] = checked((int)__shape[__i]);");
        w.Close();
        w.Line();
        w.Line("return __dims;");
        w.Close();
        w.Line();
        w.Line($"private static {Tensors}Tensor<T> __Tensor<T>({OrtValue} value)");
        w.Line("    where T : unmanaged");
        w.Open();
        w.Line($"return new {Tensors}DenseTensor<T>(value.GetTensorDataAsSpan<T>().ToArray(), __Dimensions(value));");
        w.Close();
        w.Line();
        if (strings)
        {
            w.Line($"private static {OrtValue} __StringOrtValue({Tensors}Tensor<string> tensor)");
            w.Open();
            w.Line($"return {OrtValue}.CreateFromStringTensor(tensor);");
            w.Close();
            w.Line();
            w.Line($"private static {Tensors}Tensor<string> __StringTensor({OrtValue} value)");
            w.Open();
            w.Line($"return new {Tensors}DenseTensor<string>(value.GetStringTensorAsArray(), __Dimensions(value));");
            w.Close();
            w.Line();
        }
    }
}
