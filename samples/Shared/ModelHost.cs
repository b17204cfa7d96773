using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions; // not ASP.NET Core's session-state options

namespace Samples.Inference;

/// <summary>One graph input or output as the protocol describes it: KServe v2 datatype name and shape, -1 for a
/// dynamic (symbolic or unknown) dimension.</summary>
public sealed record TensorSpec(string Name, TensorElementType ElementType, string Datatype, long[] Shape);

/// <summary>Thrown when the model cannot be served; the message says why and what to do.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A loaded model: the ONNX Runtime session, the execution provider it really runs on, and what the
/// protocol reports about its inputs and outputs (read from the model, so any ONNX model with tensor inputs works).</summary>
public sealed class ModelHost : IDisposable
{
    public const string CpuProvider = "CPUExecutionProvider";
    public const string CudaProvider = "CUDAExecutionProvider";

    private ModelHost(ModelSettings settings, InferenceSession session, string provider, TensorSpec[] inputs, TensorSpec[] outputs)
    {
        Settings = settings;
        Session = session;
        Provider = provider;
        Inputs = inputs;
        Outputs = outputs;
        InputsByName = inputs.ToDictionary(spec => spec.Name, StringComparer.Ordinal);
        OutputsByName = outputs.ToDictionary(spec => spec.Name, StringComparer.Ordinal);
        OutputNames = outputs.Select(spec => spec.Name).ToArray();
    }

    public ModelSettings Settings { get; }
    public string Name => Settings.Name;
    public InferenceSession Session { get; }

    /// <summary>The execution provider the session was created with: <see cref="CpuProvider"/> or <see cref="CudaProvider"/>.</summary>
    public string Provider { get; }

    public IReadOnlyList<TensorSpec> Inputs { get; }

    /// <summary>The outputs the protocol can return (tensors of a supported type); others are left out of metadata
    /// and never requested from ORT.</summary>
    public IReadOnlyList<TensorSpec> Outputs { get; }

    public IReadOnlyDictionary<string, TensorSpec> InputsByName { get; }
    public IReadOnlyDictionary<string, TensorSpec> OutputsByName { get; }
    public IReadOnlyList<string> OutputNames { get; }

    public static string OrtVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Creates the session on the device the settings ask for (CUDA falling back to the CPU on any failure)
    /// and checks that the protocol can serve the model; throws <see cref="ModelLoadException"/> if not, so the app
    /// exits non-zero at startup (and fails its container's start) rather than answering 500 to every request.</summary>
    public static ModelHost Load(ModelSettings settings, ILogger logger)
    {
        if (!File.Exists(settings.Path))
        {
            throw new ModelLoadException(
                $"Model file not found at {settings.Path}. Ship it with the app (models/model.onnx) or set Model:Path (env var Model__Path).");
        }

        (InferenceSession session, string provider) = CreateSession(settings, logger);
        try
        {
            var inputs = new List<TensorSpec>();
            foreach ((string name, NodeMetadata meta) in session.InputMetadata)
            {
                inputs.Add(Spec(name, meta) ?? throw new ModelLoadException(
                    $"Model input '{name}' is a {Describe(meta)}; the protocol can only feed tensors of {string.Join(", ", TensorFormats.Supported)}."));
            }

            var outputs = new List<TensorSpec>();
            foreach ((string name, NodeMetadata meta) in session.OutputMetadata)
            {
                if (Spec(name, meta) is { } spec)
                {
                    outputs.Add(spec);
                }
                else
                {
                    logger.LogWarning("Model output '{Output}' is a {Type}, which the protocol cannot return; it is left out.", name, Describe(meta));
                }
            }

            if (outputs.Count == 0)
            {
                throw new ModelLoadException("The model has no output the protocol can return (tensors of a supported datatype).");
            }

            var host = new ModelHost(settings, session, provider, inputs.ToArray(), outputs.ToArray());
            logger.LogInformation(
                "Loaded model '{ModelName}' from {ModelPath} with ONNX Runtime {OrtVersion} on {Provider}. Inputs: {Inputs}. Outputs: {Outputs}.",
                host.Name, settings.Path, OrtVersion, provider, Describe(host.Inputs), Describe(host.Outputs));
            return host;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Dispose() => Session.Dispose();

    private static (InferenceSession Session, string Provider) CreateSession(ModelSettings settings, ILogger logger)
    {
        int? cudaDevice = settings.CudaDeviceId;
        if (cudaDevice is int device)
        {
            SessionOptions? options = null;
            try
            {
                // Throws when the CUDA provider cannot load: no GPU or driver, no libcudart/libcublas/libcudnn of the
                // major this ORT build needs, or the CPU-only ORT package (EntryPointNotFoundException there, not
                // OnnxRuntimeException). Creating the session is inside the try too, because some failures only
                // surface then. Hence catch everything: any failure means "not on CUDA".
                options = NewOptions(settings);
                options.AppendExecutionProvider_CUDA(device);
                var session = new InferenceSession(settings.Path, options);
                logger.LogInformation("Using {Provider} on CUDA device {Device}.", CudaProvider, device);
                return (session, CudaProvider);
            }
            catch (Exception ex)
            {
                logger.LogWarning("CUDA device {Device} is not available ({Error}: {Message}); falling back to {Provider}.",
                    device, ex.GetType().Name, ex.Message, CpuProvider);
            }
            finally
            {
                // The session keeps what it needs from its options; they can go once it exists (or failed).
                options?.Dispose();
            }
        }

        try
        {
            using SessionOptions options = NewOptions(settings);
            var session = new InferenceSession(settings.Path, options);
            logger.LogInformation("Using {Provider}.", CpuProvider);
            return (session, CpuProvider);
        }
        catch (Exception ex)
        {
            throw new ModelLoadException($"Could not load the ONNX model at {settings.Path}: {ex.Message}", ex);
        }
    }

    private static SessionOptions NewOptions(ModelSettings settings)
    {
        var options = new SessionOptions();
        if (settings.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = settings.IntraOpThreads;
        }

        if (!settings.IntraOpSpinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        return options;
    }

    private static TensorSpec? Spec(string name, NodeMetadata meta) =>
        meta.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && TensorFormats.IsSupported(meta.ElementDataType)
            ? new TensorSpec(name, meta.ElementDataType, TensorFormats.DataType(meta.ElementDataType),
                meta.Dimensions.Select(d => d < 0 ? -1L : d).ToArray())
            : null;

    private static string Describe(NodeMetadata meta) => meta.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR
        ? $"tensor of {meta.ElementDataType}"
        : meta.OnnxValueType.ToString().Replace("ONNX_TYPE_", "").ToLowerInvariant();

    private static string Describe(IEnumerable<TensorSpec> tensors)
    {
        var text = new StringBuilder();
        foreach (TensorSpec spec in tensors)
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(spec.Name).Append(' ').Append(spec.Datatype).Append(TensorFormats.Shape(spec.Shape));
        }

        return text.ToString();
    }
}

/// <summary>KServe v2 names for tensor types and shapes.</summary>
public static class TensorFormats
{
    private static readonly Dictionary<TensorElementType, string> Names = new()
    {
        [TensorElementType.Float] = "FP32",
        [TensorElementType.Double] = "FP64",
        [TensorElementType.Float16] = "FP16",
        [TensorElementType.BFloat16] = "BF16",
        [TensorElementType.Int8] = "INT8",
        [TensorElementType.Int16] = "INT16",
        [TensorElementType.Int32] = "INT32",
        [TensorElementType.Int64] = "INT64",
        [TensorElementType.UInt8] = "UINT8",
        [TensorElementType.UInt16] = "UINT16",
        [TensorElementType.UInt32] = "UINT32",
        [TensorElementType.UInt64] = "UINT64",
        [TensorElementType.Bool] = "BOOL",
        [TensorElementType.String] = "BYTES",
    };

    /// <summary>The protocol datatypes this service encodes and decodes.</summary>
    public static IEnumerable<string> Supported => Names.Values;

    public static bool IsSupported(TensorElementType type) => Names.ContainsKey(type);

    public static string DataType(TensorElementType type) =>
        Names.TryGetValue(type, out string? name) ? name : type.ToString().ToUpperInvariant();

    /// <summary>"[-1,4]": -1 marks a dynamic dimension, as in KServe v2 metadata.</summary>
    public static string Shape(IEnumerable<long> dims) => "[" + string.Join(",", dims) + "]";
}
