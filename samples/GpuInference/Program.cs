using Microsoft.ML.OnnxRuntime;
using Samples.Inference;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions; // not ASP.NET Core's session-state options

// An ONNX Runtime inference service that runs on CUDA when it can and on the CPU when it cannot.
// Model:Device = cuda (default) or cpu. The HTTP API lives in ../Shared (InferenceApi.cs).
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

ModelSettings settings = ModelSettings.From(app.Configuration, defaultDevice: "cuda");
if (settings.Device is not ("cuda" or "cpu"))
{
    app.Logger.LogCritical("Model:Device is '{Device}'; use 'cuda' or 'cpu'.", settings.Device);
    return 1;
}

using ModelHost? model = ModelHost.TryLoad(settings, app.Logger, path => CreateSession(path, settings.Device, app.Logger));
if (model is null)
{
    return 1; // TryLoad logged why.
}

app.MapInferenceApi(model, healthIncludesProvider: true);
app.Run();
return 0;

static (InferenceSession Session, string Provider) CreateSession(string path, string device, ILogger logger)
{
    if (device == "cuda")
    {
        var options = new SessionOptions();
        try
        {
            // Throws when the CUDA provider cannot load: no GPU or driver, no libcudart/libcublas/libcudnn of the
            // major this ORT build needs (EntryPointNotFoundException, DllNotFoundException, OnnxRuntimeException...).
            // Creating the session is inside the try too, because some failures only surface then.
            options.AppendExecutionProvider_CUDA(0);
            var session = new InferenceSession(path, options);
            logger.LogInformation("Using {Provider} on CUDA device 0.", ModelHost.CudaProvider);
            return (session, ModelHost.CudaProvider);
        }
        catch (Exception ex)
        {
            logger.LogWarning("CUDA is not available ({Error}: {Message}); falling back to {Provider}.",
                ex.GetType().Name, ex.Message, ModelHost.CpuProvider);
        }
        finally
        {
            // The session keeps what it needs from its options; they can go once it exists (or failed).
            options.Dispose();
        }
    }

    logger.LogInformation("Using {Provider}.", ModelHost.CpuProvider);
    return (new InferenceSession(path), ModelHost.CpuProvider);
}
