using System.Text.Json;

namespace Samples.Inference;

/// <summary>One request input, checked against the model: <see cref="Count"/> elements of <see cref="Spec"/>'s
/// datatype in <see cref="Shape"/>, with <see cref="Data"/> still JSON (decoded by <see cref="TensorCodec"/>), or, for
/// the binary tensor data extension, <see cref="BinaryLength"/> bytes at <see cref="BinaryOffset"/> of the binary part
/// of the body (decoded by <see cref="BinaryTensors"/>).</summary>
public sealed record InputTensor(TensorSpec Spec, long[] Shape, int Count, JsonElement Data, int BinaryOffset = -1, int BinaryLength = 0)
{
    public bool IsBinary => BinaryOffset >= 0;
}

/// <summary>
/// A KServe v2 inference request, read by hand from a JsonDocument rather than bound to types, so that every malformed
/// shape of input gets a specific 400 message, and checked against the model's own input and output metadata and the
/// request limits before any tensor memory is allocated.
/// </summary>
/// <param name="BinaryOutputs">Per output name: return it as binary data (the binary tensor data extension's
/// <c>binary_data</c> per output, or <c>binary_data_output</c> for the whole request).</param>
public sealed record InferRequest(string? Id, IReadOnlyList<InputTensor> Inputs, IReadOnlyList<string> OutputNames, IReadOnlyList<bool> BinaryOutputs)
{
    public bool AnyBinaryOutput => BinaryOutputs.Contains(true);

    /// <summary>ONNX Runtime's own bound on tensor rank is far above anything real; this keeps shapes printable.</summary>
    private const int MaxRank = 32;

    /// <param name="binaryLength">Bytes after the JSON header when the request uses the binary tensor data extension
    /// (Inference-Header-Content-Length), else -1. Every binary input's size is checked against its shape and
    /// datatype and against what is left of the body, and the sizes must add up to exactly this.</param>
    /// <exception cref="ProtocolException">400 with the first problem found.</exception>
    public static InferRequest Parse(JsonElement root, ModelHost model, InferenceLimits limits, int binaryLength = -1)
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
        int binaryOffset = 0;
        foreach (JsonElement input in inputsElement.EnumerateArray())
        {
            InputTensor tensor = ParseInput(input, index++, model, limits, binaryLength, ref binaryOffset);
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

        if (binaryLength >= 0 && binaryOffset != binaryLength)
        {
            throw Bad($"the body has {binaryLength - binaryOffset} bytes after the JSON header and the binary inputs' binary_data_size (trailing bytes)");
        }

        bool binaryOutput = root.TryGetProperty("parameters", out JsonElement parameters)
            && OptionalBool(parameters, "binary_data_output", "request parameters");
        (IReadOnlyList<string> names, IReadOnlyList<bool> binary) = ParseOutputs(root, model, binaryOutput);
        return new InferRequest(id, inputs, names, binary);
    }

    /// <summary>The request is for the raw binary form (Inference-Header-Content-Length: 0): the whole body is the one
    /// input's data, its shape deduced from the byte size (at most one dynamic dimension; BYTES only for shape [1]),
    /// every output returned as binary.</summary>
    public static InferRequest Raw(ModelHost model, InferenceLimits limits, ReadOnlySpan<byte> body)
    {
        if (model.Inputs.Count != 1)
        {
            throw Bad($"a raw binary request (Inference-Header-Content-Length: 0) needs a model with one input; this one has {model.Inputs.Count}: {InputList(model)}");
        }

        TensorSpec spec = model.Inputs[0];
        if (body.IsEmpty)
        {
            throw Bad($"a raw binary request (Inference-Header-Content-Length: 0) needs input '{spec.Name}''s data as its body; the body is empty");
        }

        long[] shape = (long[])spec.Shape.Clone();
        int size = BinaryTensors.ElementSize(spec.ElementType);
        if (size == 0)
        {
            if (!(shape is [1] or [-1] or []))
            {
                throw Bad($"a raw binary request for BYTES input '{spec.Name}' needs shape [1]; the model's is {TensorFormats.Shape(spec.Shape)}");
            }

            shape = [1];
        }
        else
        {
            int dynamic = shape.Count(d => d < 0);
            long fixedBytes = size * shape.Where(d => d >= 0).Aggregate(1L, (a, d) => a * d);
            if (dynamic > 1)
            {
                throw Bad($"a raw binary request cannot tell the shape of input '{spec.Name}' {TensorFormats.Shape(spec.Shape)}: more than one dynamic dimension");
            }

            if (fixedBytes == 0 || body.Length % fixedBytes != 0 || (dynamic == 0 && body.Length != fixedBytes))
            {
                throw Bad($"a raw binary body of {body.Length} bytes does not fit input '{spec.Name}' {spec.Datatype}{TensorFormats.Shape(spec.Shape)}");
            }

            if (dynamic == 1)
            {
                shape[Array.FindIndex(shape, d => d < 0)] = body.Length / fixedBytes;
            }
        }

        long count = CheckShape(spec, shape, limits);
        BinaryTensors.Validate(spec, count, body, $"input '{spec.Name}'");
        return new InferRequest(null, [new InputTensor(spec, shape, (int)count, default, 0, body.Length)],
            model.OutputNames, model.OutputNames.Select(_ => true).ToArray());
    }

    private static InputTensor ParseInput(JsonElement input, int index, ModelHost model, InferenceLimits limits, int binaryLength, ref int binaryOffset)
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

        JsonElement binarySize = default;
        bool binary = input.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out binarySize);
        long[] shape = ParseShape(input, name);
        long count = CheckShape(spec, shape, limits);
        if (binary)
        {
            if (binaryLength < 0)
            {
                throw Bad($"input '{name}' has parameters.binary_data_size, but the request has no Inference-Header-Content-Length header to say where the JSON ends");
            }

            if (input.TryGetProperty("data", out _))
            {
                throw Bad($"input '{name}' has both \"data\" and parameters.binary_data_size; give one");
            }

            if (binarySize.ValueKind != JsonValueKind.Number || !binarySize.TryGetInt64(out long declared) || declared < 0)
            {
                throw Bad($"input '{name}' parameters.binary_data_size must be a non-negative integer; got {JsonText.Excerpt(binarySize)}");
            }

            int elementSize = BinaryTensors.ElementSize(spec.ElementType);
            // count <= MaxElements < 2^31, so count * 8 cannot overflow.
            if (elementSize > 0 && declared != count * elementSize)
            {
                throw Bad($"input '{name}' binary_data_size is {declared}, but shape {TensorFormats.Shape(shape)} of {spec.Datatype} is {count * elementSize} bytes");
            }

            if (declared > binaryLength - binaryOffset)
            {
                throw Bad($"input '{name}' binary_data_size {declared} overruns the body: {binaryLength - binaryOffset} bytes of binary data are left");
            }

            var tensor = new InputTensor(spec, shape, (int)count, default, binaryOffset, (int)declared);
            binaryOffset += (int)declared;
            return tensor;
        }

        if (!input.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
        {
            throw Bad($"input '{name}' needs a \"data\" array (flat in row-major order, or nested like the shape)");
        }

        return new InputTensor(spec, shape, (int)count, data);
    }

    /// <summary>Checks a request shape against the model's (rank, fixed dimensions) and the element limit; returns the
    /// element count. Shared by every protocol, and run before anything is allocated for the tensor.</summary>
    /// <exception cref="ProtocolException">400.</exception>
    public static long CheckShape(TensorSpec spec, long[] shape, InferenceLimits limits)
    {
        string name = spec.Name;
        if (shape.Length > MaxRank)
        {
            throw Bad($"input '{name}' shape has more than {MaxRank} dimensions");
        }

        if (shape.Any(d => d < 0))
        {
            throw Bad($"input '{name}' shape must contain only non-negative integers; got {TensorFormats.Shape(shape)}");
        }

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

        return count;
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

    /// <summary>The optional "outputs" list picks which outputs to compute and return; absent or empty means all.
    /// Each may say parameters.binary_data, which overrides the request's binary_data_output.</summary>
    private static (IReadOnlyList<string>, IReadOnlyList<bool>) ParseOutputs(JsonElement root, ModelHost model, bool binaryOutput)
    {
        if (!root.TryGetProperty("outputs", out JsonElement outputs) || outputs.ValueKind == JsonValueKind.Null
            || (outputs.ValueKind == JsonValueKind.Array && outputs.GetArrayLength() == 0))
        {
            return (model.OutputNames, model.OutputNames.Select(_ => binaryOutput).ToArray());
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw Bad("\"outputs\" must be an array of {\"name\": ...} objects");
        }

        var names = new List<string>();
        var binary = new List<bool>();
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
            binary.Add(output.TryGetProperty("parameters", out JsonElement parameters)
                && parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("binary_data", out _)
                ? OptionalBool(parameters, "binary_data", $"output '{name}' parameters")
                : binaryOutput);
            index++;
        }

        return (names, binary);
    }

    private static bool OptionalBool(JsonElement parameters, string property, string owner)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"{owner} must be an object");
        }

        if (!parameters.TryGetProperty(property, out JsonElement value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad($"{owner} \"{property}\" must be true or false; got {JsonText.Excerpt(value)}"),
        };
    }

    private static string RequiredString(JsonElement element, string property, string owner) =>
        element.TryGetProperty(property, out JsonElement value) && JsonText.TryGetString(value, out string text) && text.Length > 0
            ? text
            : throw Bad($"{owner} needs a non-empty string \"{property}\"");

    private static string InputList(ModelHost model) =>
        string.Join(", ", model.Inputs.Select(spec => $"{spec.Name} {spec.Datatype}{TensorFormats.Shape(spec.Shape)}"));

    private static ProtocolException Bad(string message) => new(400, message);
}
