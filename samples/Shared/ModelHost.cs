using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Samples.Inference;

/// <summary>The model settings, from configuration section "Model" (env vars Model__Path, Model__Name, ...).</summary>
public sealed record ModelSettings(string Path, string Name, string Device)
{
    public const string DefaultPath = "models/model.onnx";
    public const string DefaultName = "relu";

    /// <summary>A relative Model:Path is resolved against the app's own folder, not the working directory, so
    /// the shipped model is found however the process is started (dotnet run, the container's entrypoint, ...).</summary>
    public static ModelSettings From(IConfiguration configuration, string defaultDevice)
    {
        IConfigurationSection section = configuration.GetSection("Model");
        string path = section["Path"] is { Length: > 0 } configured ? configured : DefaultPath;
        return new ModelSettings(
            System.IO.Path.GetFullPath(path, AppContext.BaseDirectory),
            section["Name"] is { Length: > 0 } name ? name : DefaultName,
            (section["Device"] is { Length: > 0 } device ? device : defaultDevice).Trim().ToLowerInvariant());
    }
}

/// <summary>A loaded model: the ONNX Runtime session plus what the HTTP API reports about it.</summary>
public sealed class ModelHost : IDisposable
{
    public const string CpuProvider = "CPUExecutionProvider";
    public const string CudaProvider = "CUDAExecutionProvider";

    private ModelHost(ModelSettings settings, InferenceSession session, string provider)
    {
        Settings = settings;
        Session = session;
        Provider = provider;
    }

    public ModelSettings Settings { get; }
    public string Name => Settings.Name;
    public InferenceSession Session { get; }

    /// <summary>The execution provider the session was created with: <see cref="CpuProvider"/> or <see cref="CudaProvider"/>.</summary>
    public string Provider { get; }

    /// <summary>
    /// Loads the model, or logs why not and returns null so that Program can exit non-zero before serving: a service
    /// without its model must fail at startup (and so fail its container's start), not answer 500 to every request.
    /// </summary>
    /// <param name="createSession">Makes the session for the model path and says which provider it runs on.</param>
    public static ModelHost? TryLoad(ModelSettings settings, ILogger logger, Func<string, (InferenceSession Session, string Provider)> createSession)
    {
        if (!File.Exists(settings.Path))
        {
            logger.LogCritical(
                "Model file not found at {ModelPath}. Ship it with the app (models/model.onnx) or set Model:Path (env var Model__Path).",
                settings.Path);
            return null;
        }

        InferenceSession session;
        string provider;
        try
        {
            (session, provider) = createSession(settings.Path);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            logger.LogCritical(ex, "Could not load the ONNX model at {ModelPath}: {Reason}", settings.Path, ex.Message);
            return null;
        }

        // This sample speaks FP32 tensors only; say so now rather than on the first request.
        string? unsupported = session.InputMetadata.Concat(session.OutputMetadata)
            .Where(kv => !kv.Value.IsTensor || kv.Value.ElementDataType != TensorElementType.Float)
            .Select(kv => kv.Key)
            .FirstOrDefault();
        if (unsupported is not null)
        {
            session.Dispose();
            logger.LogCritical("Model {ModelPath} has a non-FP32 input or output ({Tensor}); this sample serves FP32 tensors only.", settings.Path, unsupported);
            return null;
        }

        var host = new ModelHost(settings, session, provider);
        logger.LogInformation(
            "Loaded model '{ModelName}' from {ModelPath} on {Provider}. Inputs: {Inputs}. Outputs: {Outputs}.",
            host.Name, settings.Path, provider, Describe(session.InputMetadata), Describe(session.OutputMetadata));
        return host;
    }

    public void Dispose() => Session.Dispose();

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> tensors)
    {
        var text = new StringBuilder();
        foreach ((string name, NodeMetadata meta) in tensors)
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(name).Append(' ')
                .Append(TensorFormats.DataType(meta.ElementDataType)).Append(TensorFormats.Shape(meta.Dimensions));
        }

        return text.ToString();
    }
}

/// <summary>KServe v2 names for tensor types and shapes.</summary>
public static class TensorFormats
{
    public static string DataType(TensorElementType type) => type switch
    {
        TensorElementType.Float => "FP32",
        TensorElementType.Double => "FP64",
        TensorElementType.Float16 => "FP16",
        TensorElementType.BFloat16 => "BF16",
        TensorElementType.Int8 => "INT8",
        TensorElementType.Int16 => "INT16",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        TensorElementType.Bool => "BOOL",
        TensorElementType.String => "BYTES",
        _ => type.ToString().ToUpperInvariant(),
    };

    /// <summary>"[-1,4]": -1 marks a dynamic dimension, as in KServe v2 metadata.</summary>
    public static string Shape(IEnumerable<long> dims) => "[" + string.Join(",", dims) + "]";

    public static string Shape(IEnumerable<int> dims) => Shape(dims.Select(d => (long)d));
}
