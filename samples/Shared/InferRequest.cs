using System.Text.Json;

namespace Samples.Inference;

/// <summary>One request input, checked against the model: <see cref="Count"/> elements of <see cref="Spec"/>'s
/// datatype in <see cref="Shape"/>, with <see cref="Data"/> still JSON (decoded by <see cref="TensorCodec"/>).</summary>
public sealed record InputTensor(TensorSpec Spec, long[] Shape, int Count, JsonElement Data);

/// <summary>
/// A KServe v2 inference request, read by hand from a JsonDocument rather than bound to types, so that every malformed
/// shape of input gets a specific 400 message, and checked against the model's own input and output metadata and the
/// request limits before any tensor memory is allocated.
/// </summary>
public sealed record InferRequest(string? Id, IReadOnlyList<InputTensor> Inputs, IReadOnlyList<string> OutputNames)
{
    /// <summary>ONNX Runtime's own bound on tensor rank is far above anything real; this keeps shapes printable.</summary>
    private const int MaxRank = 32;

    /// <exception cref="ProtocolException">400 with the first problem found.</exception>
    public static InferRequest Parse(JsonElement root, ModelHost model, InferenceLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("request body must be a JSON object with an \"inputs\" array");
        }

        string? id = null;
        if (root.TryGetProperty("id", out JsonElement idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            id = JsonText.TryGetString(idElement, out string text) ? text : throw Bad("\"id\" must be a string of valid text");
        }

        if (!root.TryGetProperty("inputs", out JsonElement inputsElement) || inputsElement.ValueKind != JsonValueKind.Array
            || inputsElement.GetArrayLength() == 0)
        {
            throw Bad($"\"inputs\" must be a non-empty array; the model's inputs are: {InputList(model)}");
        }

        var inputs = new List<InputTensor>();
        long total = 0;
        int index = 0;
        foreach (JsonElement input in inputsElement.EnumerateArray())
        {
            InputTensor tensor = ParseInput(input, index++, model, limits);
            if (inputs.Any(other => other.Spec.Name == tensor.Spec.Name))
            {
                throw Bad($"input '{tensor.Spec.Name}' is given more than once");
            }

            total += tensor.Count;
            if (total > limits.MaxElements)
            {
                throw Bad($"the request's inputs hold more than {limits.MaxElements} elements in all (the limit Inference:MaxElements)");
            }

            inputs.Add(tensor);
        }

        foreach (TensorSpec spec in model.Inputs)
        {
            if (!inputs.Any(input => input.Spec.Name == spec.Name))
            {
                throw Bad($"missing input '{spec.Name}'; the model's inputs are: {InputList(model)}");
            }
        }

        return new InferRequest(id, inputs, ParseOutputs(root, model));
    }

    private static InputTensor ParseInput(JsonElement input, int index, ModelHost model, InferenceLimits limits)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"inputs[{index}] must be an object with \"name\", \"shape\", \"datatype\" and \"data\"");
        }

        string name = RequiredString(input, "name", $"inputs[{index}]");
        if (!model.InputsByName.TryGetValue(name, out TensorSpec? spec))
        {
            throw Bad($"unknown input '{name}'; the model's inputs are: {InputList(model)}");
        }

        string datatype = RequiredString(input, "datatype", $"input '{name}'");
        if (datatype != spec.Datatype)
        {
            throw Bad($"input '{name}' has datatype {datatype}; the model expects {spec.Datatype}");
        }

        if (input.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out _))
        {
            throw Bad($"input '{name}': the binary tensor data extension is not supported; send \"data\" as JSON");
        }

        long[] shape = ParseShape(input, name);
        string expected = TensorFormats.Shape(spec.Shape);
        // Rank 0 in the metadata is a scalar or a shape the model does not declare; ORT checks those itself.
        if (spec.Shape.Length > 0)
        {
            if (shape.Length != spec.Shape.Length)
            {
                throw Bad($"input '{name}' must have rank {spec.Shape.Length} (shape {expected}); got shape {TensorFormats.Shape(shape)}");
            }

            for (int d = 0; d < shape.Length; d++)
            {
                if (spec.Shape[d] >= 0 && shape[d] != spec.Shape[d])
                {
                    throw Bad($"input '{name}' dimension {d} must be {spec.Shape[d]} (shape {expected}); got shape {TensorFormats.Shape(shape)}");
                }
            }
        }

        long count = 1;
        foreach (long size in shape)
        {
            // Both factors are at most MaxElements (< 2^31) here, so the product cannot overflow a long.
            if (size > limits.MaxElements || (count *= size) > limits.MaxElements)
            {
                throw Bad($"input '{name}' shape {TensorFormats.Shape(shape)} holds more than {limits.MaxElements} elements (the limit Inference:MaxElements)");
            }
        }

        if (!input.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
        {
            throw Bad($"input '{name}' needs a \"data\" array (flat in row-major order, or nested like the shape)");
        }

        return new InputTensor(spec, shape, (int)count, data);
    }

    private static long[] ParseShape(JsonElement input, string name)
    {
        if (!input.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Bad($"input '{name}' needs a \"shape\" array of non-negative integers");
        }

        if (shapeElement.GetArrayLength() > MaxRank)
        {
            throw Bad($"input '{name}' shape has more than {MaxRank} dimensions");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        int d = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            shape[d++] = dim.ValueKind == JsonValueKind.Number && dim.TryGetInt64(out long size) && size >= 0
                ? size
                : throw Bad($"input '{name}' shape must contain only non-negative integers; got {JsonText.Excerpt(dim)}");
        }

        return shape;
    }

    /// <summary>The optional "outputs" list picks which outputs to compute and return; absent or empty means all.</summary>
    private static IReadOnlyList<string> ParseOutputs(JsonElement root, ModelHost model)
    {
        if (!root.TryGetProperty("outputs", out JsonElement outputs) || outputs.ValueKind == JsonValueKind.Null
            || (outputs.ValueKind == JsonValueKind.Array && outputs.GetArrayLength() == 0))
        {
            return model.OutputNames;
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw Bad("\"outputs\" must be an array of {\"name\": ...} objects");
        }

        var names = new List<string>();
        int index = 0;
        foreach (JsonElement output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object)
            {
                throw Bad($"outputs[{index}] must be an object with a \"name\"");
            }

            string name = RequiredString(output, "name", $"outputs[{index}]");
            if (!model.OutputsByName.ContainsKey(name))
            {
                throw Bad($"unknown output '{name}'; the model's outputs are: {string.Join(", ", model.OutputNames)}");
            }

            if (names.Contains(name))
            {
                throw Bad($"output '{name}' is requested more than once");
            }

            names.Add(name);
            index++;
        }

        return names;
    }

    private static string RequiredString(JsonElement element, string property, string owner) =>
        element.TryGetProperty(property, out JsonElement value) && JsonText.TryGetString(value, out string text) && text.Length > 0
            ? text
            : throw Bad($"{owner} needs a non-empty string \"{property}\"");

    private static string InputList(ModelHost model) =>
        string.Join(", ", model.Inputs.Select(spec => $"{spec.Name} {spec.Datatype}{TensorFormats.Shape(spec.Shape)}"));

    private static ProtocolException Bad(string message) => new(400, message);
}
