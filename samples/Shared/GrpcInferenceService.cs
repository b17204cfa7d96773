using System.Diagnostics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Samples.Inference;

/// <summary>What the gRPC service serves; filled in once the model is loaded (the DI container is built before).</summary>
public sealed class InferenceState
{
    public ModelHost Model { get; set; } = null!;
    public InferenceLimits Limits { get; set; } = null!;
    public Metrics Metrics { get; set; } = null!;
}

/// <summary>
/// The Open Inference Protocol's <c>inference.GRPCInferenceService</c> (Protos/grpc_predict_v2.proto) over cleartext
/// HTTP/2 on its own port (Grpc:Port). The same checks as REST, from the same code (shape and limit checks in
/// <see cref="InferRequest.CheckShape"/>, raw tensors in <see cref="BinaryTensors"/>); a bad request is
/// INVALID_ARGUMENT, an unknown model NOT_FOUND, a service shutting down UNAVAILABLE, each with a message.
/// </summary>
public sealed class GrpcInferenceService(InferenceState state, IHostApplicationLifetime lifetime, ILogger<GrpcInferenceService> logger)
    : GRPCInferenceService.GRPCInferenceServiceBase
{
    private ModelHost Model => state.Model;
    private bool Ready => !lifetime.ApplicationStopping.IsCancellationRequested;

    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = Ready });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        RequireModel(request.Name);
        return Task.FromResult(new ModelReadyResponse { Ready = Ready });
    }

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var response = new ServerMetadataResponse { Name = InferenceApi.ServerName, Version = InferenceApi.ServerVersion };
        response.Extensions.AddRange(InferenceApi.Extensions);
        return Task.FromResult(response);
    }

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        RequireModel(request.Name);
        var response = new ModelMetadataResponse { Name = Model.Name, Platform = "onnxruntime_onnx" };
        foreach (TensorSpec spec in Model.Inputs)
        {
            response.Inputs.Add(Metadata(spec));
        }

        foreach (TensorSpec spec in Model.Outputs)
        {
            response.Outputs.Add(Metadata(spec));
        }

        return Task.FromResult(response);
    }

    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        long start = Stopwatch.GetTimestamp();
        StatusCode code = StatusCode.Internal;
        try
        {
            ModelInferResponse response = Infer(request, context.CancellationToken);
            code = StatusCode.OK;
            return Task.FromResult(response);
        }
        catch (RpcException ex)
        {
            code = ex.StatusCode;
            throw;
        }
        finally
        {
            state.Metrics.ObserveInferRequest("grpc", code.ToString(), Stopwatch.GetElapsedTime(start));
        }
    }

    private ModelInferResponse Infer(ModelInferRequest request, CancellationToken cancel)
    {
        RequireModel(request.ModelName);
        if (!Ready)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"model '{Model.Name}' is not ready: the service is shutting down"));
        }

        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        var pins = new List<GCHandle>();
        try
        {
            bool raw = request.RawInputContents.Count > 0;
            DecodeInputs(request, raw, inputs, pins);
            IReadOnlyList<string> outputNames = OutputNames(request);

            using var runOptions = new RunOptions();
            using CancellationTokenRegistration abort = cancel.Register(() => runOptions.Terminate = true);
            long start = Stopwatch.GetTimestamp();
            using IDisposableReadOnlyCollection<OrtValue> results = Model.Session.Run(runOptions, inputs, outputNames);
            state.Metrics.ObserveInference(Stopwatch.GetElapsedTime(start));
            return Encode(request, raw, outputNames, results);
        }
        catch (ProtocolException ex)
        {
            throw new RpcException(new Status(ex.StatusCode switch
            {
                404 => StatusCode.NotFound,
                413 => StatusCode.ResourceExhausted,
                503 => StatusCode.Unavailable,
                _ => StatusCode.InvalidArgument,
            }, ex.Message));
        }
        catch (OnnxRuntimeException) when (cancel.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the call"));
        }
        catch (OnnxRuntimeException ex)
        {
            if (InferenceApi.IsInputError(ex))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"the model rejected the input: {ex.Message}"));
            }

            logger.LogError(ex, "Inference failed for model {ModelName}", Model.Name);
            throw new RpcException(new Status(StatusCode.Internal, $"inference failed: {ex.Message}"));
        }
        finally
        {
            foreach (OrtValue value in inputs.Values)
            {
                value.Dispose();
            }

            foreach (GCHandle pin in pins)
            {
                pin.Free();
            }
        }
    }

    private void DecodeInputs(ModelInferRequest request, bool raw, Dictionary<string, OrtValue> inputs, List<GCHandle> pins)
    {
        string InputList() => string.Join(", ", Model.Inputs.Select(s => $"{s.Name} {s.Datatype}{TensorFormats.Shape(s.Shape)}"));
        if (request.Inputs.Count == 0)
        {
            throw Bad($"inputs must not be empty; the model's inputs are: {InputList()}");
        }

        if (raw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw Bad($"raw_input_contents has {request.RawInputContents.Count} entries for {request.Inputs.Count} inputs; give one per input, in order");
        }

        long total = 0;
        for (int i = 0; i < request.Inputs.Count; i++)
        {
            ModelInferRequest.Types.InferInputTensor input = request.Inputs[i];
            if (!Model.InputsByName.TryGetValue(input.Name, out TensorSpec? spec))
            {
                throw Bad($"unknown input '{input.Name}'; the model's inputs are: {InputList()}");
            }

            if (inputs.ContainsKey(spec.Name))
            {
                throw Bad($"input '{spec.Name}' is given more than once");
            }

            if (input.Datatype != spec.Datatype)
            {
                throw Bad($"input '{spec.Name}' has datatype {input.Datatype}; the model expects {spec.Datatype}");
            }

            long[] shape = input.Shape.ToArray();
            long count = InferRequest.CheckShape(spec, shape, state.Limits);
            if ((total += count) > state.Limits.MaxElements)
            {
                throw Bad($"the request's inputs hold more than {state.Limits.MaxElements} elements in all (the limit Inference:MaxElements)");
            }

            OrtValue value;
            if (raw)
            {
                if (input.Contents is not null)
                {
                    throw Bad($"input '{spec.Name}' has contents, but the request uses raw_input_contents; use one or the other for all inputs");
                }

                ByteString bytes = request.RawInputContents[i];
                BinaryTensors.Validate(spec, count, bytes.Span, $"input '{spec.Name}' raw_input_contents[{i}]");
                nint address = 0;
                if (MemoryMarshal.TryGetArray(bytes.Memory, out ArraySegment<byte> segment) && segment.Array is not null)
                {
                    GCHandle pin = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
                    pins.Add(pin);
                    address = pin.AddrOfPinnedObject() + segment.Offset;
                }

                value = BinaryTensors.Decode(spec, shape, count, bytes.Span, address);
            }
            else
            {
                value = TypedContents.Decode(spec, shape, (int)count, input.Contents ?? new InferTensorContents());
            }

            inputs.Add(spec.Name, value);
        }

        foreach (TensorSpec spec in Model.Inputs)
        {
            if (!inputs.ContainsKey(spec.Name))
            {
                throw Bad($"missing input '{spec.Name}'; the model's inputs are: {InputList()}");
            }
        }
    }

    private IReadOnlyList<string> OutputNames(ModelInferRequest request)
    {
        if (request.Outputs.Count == 0)
        {
            return Model.OutputNames;
        }

        var names = new List<string>();
        foreach (ModelInferRequest.Types.InferRequestedOutputTensor output in request.Outputs)
        {
            if (!Model.OutputsByName.ContainsKey(output.Name))
            {
                throw Bad($"unknown output '{output.Name}'; the model's outputs are: {string.Join(", ", Model.OutputNames)}");
            }

            if (names.Contains(output.Name))
            {
                throw Bad($"output '{output.Name}' is requested more than once");
            }

            names.Add(output.Name);
        }

        return names;
    }

    /// <summary>Raw outputs when the request sent raw inputs or any output has no typed field (FP16, BF16), else typed
    /// contents: a client gets back the form it used.</summary>
    private ModelInferResponse Encode(ModelInferRequest request, bool raw, IReadOnlyList<string> outputNames, IDisposableReadOnlyCollection<OrtValue> results)
    {
        var response = new ModelInferResponse { ModelName = Model.Name, Id = request.Id };
        var infos = new OrtTensorTypeAndShapeInfo[outputNames.Count];
        for (int i = 0; i < infos.Length; i++)
        {
            infos[i] = results[i].GetTensorTypeAndShape();
        }

        bool typed = !raw && infos.All(info => TypedContents.HasField(info.ElementDataType));
        for (int i = 0; i < infos.Length; i++)
        {
            var output = new ModelInferResponse.Types.InferOutputTensor
            {
                Name = outputNames[i],
                Datatype = TensorFormats.DataType(infos[i].ElementDataType),
            };
            output.Shape.AddRange(infos[i].Shape);
            if (typed)
            {
                output.Contents = TypedContents.Encode(results[i], infos[i]);
            }
            else
            {
                var buffer = new byte[BinaryTensors.ByteSize(results[i], infos[i])];
                var writer = new SpanWriter(buffer);
                BinaryTensors.WriteTo(writer, results[i], infos[i]);
                // The array is this response's own: no second copy into the ByteString.
                response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(buffer));
            }

            response.Outputs.Add(output);
        }

        return response;
    }

    private void RequireModel(string name)
    {
        if (name != Model.Name)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"model '{name}' not found"));
        }
    }

    private static ModelMetadataResponse.Types.TensorMetadata Metadata(TensorSpec spec)
    {
        var tensor = new ModelMetadataResponse.Types.TensorMetadata { Name = spec.Name, Datatype = spec.Datatype };
        tensor.Shape.AddRange(spec.Shape);
        return tensor;
    }

    private static ProtocolException Bad(string message) => new(400, message);

    /// <summary>An IBufferWriter over one array of exactly the right size.</summary>
    private sealed class SpanWriter(byte[] buffer) : System.Buffers.IBufferWriter<byte>
    {
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(_written);
    }
}

/// <summary>gRPC's typed <c>InferTensorContents</c> to ORT values and back: one repeated field per datatype family,
/// each value range-checked into the tensor's own type (no 300 for UINT8). FP16 and BF16 have no field.</summary>
public static class TypedContents
{
    public static bool HasField(TensorElementType type) => type is not (TensorElementType.Float16 or TensorElementType.BFloat16);

    public static OrtValue Decode(TensorSpec spec, long[] shape, int count, InferTensorContents contents)
    {
        string name = spec.Name;
        switch (spec.ElementType)
        {
            case TensorElementType.Float: return Tensor(Copy(contents.Fp32Contents, count, name, "fp32_contents"), shape);
            case TensorElementType.Double: return Tensor(Copy(contents.Fp64Contents, count, name, "fp64_contents"), shape);
            case TensorElementType.Int32: return Tensor(Copy(contents.IntContents, count, name, "int_contents"), shape);
            case TensorElementType.Int64: return Tensor(Copy(contents.Int64Contents, count, name, "int64_contents"), shape);
            case TensorElementType.UInt32: return Tensor(Copy(contents.UintContents, count, name, "uint_contents"), shape);
            case TensorElementType.UInt64: return Tensor(Copy(contents.Uint64Contents, count, name, "uint64_contents"), shape);
            case TensorElementType.Bool: return Tensor(Copy(contents.BoolContents, count, name, "bool_contents"), shape);
            case TensorElementType.Int8: return Tensor(Narrow(contents.IntContents, count, name, "int_contents", sbyte.MinValue, sbyte.MaxValue, v => (sbyte)v), shape);
            case TensorElementType.Int16: return Tensor(Narrow(contents.IntContents, count, name, "int_contents", short.MinValue, short.MaxValue, v => (short)v), shape);
            case TensorElementType.UInt8: return Tensor(Narrow(contents.UintContents, count, name, "uint_contents", 0, byte.MaxValue, v => (byte)v), shape);
            case TensorElementType.UInt16: return Tensor(Narrow(contents.UintContents, count, name, "uint_contents", 0, ushort.MaxValue, v => (ushort)v), shape);
            case TensorElementType.String:
            {
                CheckCount(contents.BytesContents.Count, count, name, "bytes_contents");
                OrtValue value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        value.StringTensorSetElementAt(contents.BytesContents[i].Span, i);
                    }

                    return value;
                }
                catch
                {
                    value.Dispose();
                    throw;
                }
            }

            default:
                throw new ProtocolException(400, $"input '{name}' is {spec.Datatype}, which has no typed contents field: send it in raw_input_contents");
        }
    }

    public static InferTensorContents Encode(OrtValue value, OrtTensorTypeAndShapeInfo info)
    {
        var contents = new InferTensorContents();
        switch (info.ElementDataType)
        {
            case TensorElementType.Float: contents.Fp32Contents.AddRange(value.GetTensorDataAsSpan<float>().ToArray()); break;
            case TensorElementType.Double: contents.Fp64Contents.AddRange(value.GetTensorDataAsSpan<double>().ToArray()); break;
            case TensorElementType.Int32: contents.IntContents.AddRange(value.GetTensorDataAsSpan<int>().ToArray()); break;
            case TensorElementType.Int64: contents.Int64Contents.AddRange(value.GetTensorDataAsSpan<long>().ToArray()); break;
            case TensorElementType.UInt32: contents.UintContents.AddRange(value.GetTensorDataAsSpan<uint>().ToArray()); break;
            case TensorElementType.UInt64: contents.Uint64Contents.AddRange(value.GetTensorDataAsSpan<ulong>().ToArray()); break;
            case TensorElementType.Bool: contents.BoolContents.AddRange(value.GetTensorDataAsSpan<bool>().ToArray()); break;
            case TensorElementType.Int8:
                foreach (sbyte v in value.GetTensorDataAsSpan<sbyte>())
                {
                    contents.IntContents.Add(v);
                }

                break;
            case TensorElementType.Int16:
                foreach (short v in value.GetTensorDataAsSpan<short>())
                {
                    contents.IntContents.Add(v);
                }

                break;
            case TensorElementType.UInt8:
                foreach (byte v in value.GetTensorDataAsSpan<byte>())
                {
                    contents.UintContents.Add(v);
                }

                break;
            case TensorElementType.UInt16:
                foreach (ushort v in value.GetTensorDataAsSpan<ushort>())
                {
                    contents.UintContents.Add(v);
                }

                break;
            case TensorElementType.String:
                for (int i = 0; i < info.ElementCount; i++)
                {
                    contents.BytesContents.Add(ByteString.CopyFrom(value.GetStringElementAsSpan(i)));
                }

                break;
            default:
                throw new InvalidOperationException($"{info.ElementDataType} has no typed contents field");
        }

        return contents;
    }

    private static OrtValue Tensor<T>(T[] values, long[] shape) where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(values, shape);

    private static T[] Copy<T>(RepeatedField<T> field, int count, string name, string fieldName)
    {
        CheckCount(field.Count, count, name, fieldName);
        var values = new T[count];
        field.CopyTo(values, 0);
        return values;
    }

    private static T[] Narrow<TWire, T>(RepeatedField<TWire> field, int count, string name, string fieldName, long min, long max, Func<TWire, T> convert)
        where TWire : IConvertible
    {
        CheckCount(field.Count, count, name, fieldName);
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            long wide = field[i].ToInt64(System.Globalization.CultureInfo.InvariantCulture);
            if (wide < min || wide > max)
            {
                throw new ProtocolException(400, $"input '{name}' {fieldName}[{i}] is {wide}, outside the datatype's range {min}..{max}");
            }

            values[i] = convert(field[i]);
        }

        return values;
    }

    private static void CheckCount(int actual, int expected, string name, string fieldName)
    {
        if (actual != expected)
        {
            throw new ProtocolException(400, $"input '{name}' has {actual} values in {fieldName}, but its shape holds {expected}");
        }
    }
}
