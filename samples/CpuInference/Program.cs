using Microsoft.ML.OnnxRuntime;
using Samples.Inference;

// An ONNX Runtime inference service on the CPU. The HTTP API lives in ../Shared (InferenceApi.cs).
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

ModelSettings settings = ModelSettings.From(app.Configuration, defaultDevice: "cpu");
using ModelHost? model = ModelHost.TryLoad(settings, app.Logger, path => (new InferenceSession(path), ModelHost.CpuProvider));
if (model is null)
{
    return 1; // TryLoad logged why.
}

app.MapInferenceApi(model);
app.Run();
return 0;
