using BindingInference;
using Microsoft.ML.OnnxRuntime.Tensors;

// An inference service written against the binding ContainerSdk generated from models/scorer.onnx (see the project
// file): ScorerModel knows the model's input and output names, element types and shapes, loads from the model's path
// in the image (or beside the app under dotnet run), and checks shapes before ONNX Runtime runs. Nothing below spells
// a tensor name or a shape.
//   POST /predict  {"features": [[8 numbers], ...]}  ->  {"scores": [[3 numbers], ...], "provider": "..."}
//   GET  /healthz  "ok CPUExecutionProvider" (also the image's HEALTHCHECK, through ContainerHealthCheckPath)
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BindingInference");

// Once, at startup: a session per request is the classic mistake (and an analyzer warning). CUDA is preferred and any
// failure to use it (here always: this is the CPU-only ONNX Runtime package) falls back to the CPU, with the reason logged.
ScorerModel model;
try
{
    model = ScorerModel.LoadPreferringCuda(
        path: app.Configuration["Model:Path"],
        deviceId: app.Configuration.GetValue("Model:CudaDevice", 0),
        onFallback: e => log.LogWarning("CUDA is not available, running on the CPU: {Reason}", e.Message));
}
catch (Exception e) when (e is FileNotFoundException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
{
    log.LogCritical("Cannot load the model: {Reason}", e.Message);
    return 1;
}

log.LogInformation("Loaded {Model} (producer {Producer}, opset {Opset}) from {Path} on {Provider}; inputs [{Inputs}], outputs [{Outputs}]",
    nameof(ScorerModel), ScorerModel.Producer, ScorerModel.Opset, model.ModelPath, model.ExecutionProvider,
    string.Join(", ", ScorerModel.InputNames), string.Join(", ", ScorerModel.OutputNames));
app.Lifetime.ApplicationStopped.Register(model.Dispose);

app.MapGet("/healthz", () => $"ok {model.ExecutionProvider}");

app.MapPost("/predict", (PredictRequest request) =>
{
    float[][]? rows = request.Features;
    if (rows is null || rows.Length == 0 || rows.Length > PredictRequest.MaxRows)
    {
        return Results.BadRequest(new { error = $"'features' must hold 1 to {PredictRequest.MaxRows} rows." });
    }

    int width = rows[0]?.Length ?? 0;
    var features = new DenseTensor<float>([rows.Length, width]);
    for (int r = 0; r < rows.Length; r++)
    {
        if (rows[r] is null || rows[r].Length != width)
        {
            return Results.BadRequest(new { error = $"row {r} of 'features' does not have {width} values like row 0." });
        }

        rows[r].CopyTo(features.Buffer.Span.Slice(r * width, width));
    }

    ScorerModel.Output output;
    try
    {
        output = model.Run(new ScorerModel.Input(features));
    }
    catch (ArgumentException e)
    {
        // The binding's shape check, before ONNX Runtime: "Input 'features' (Features) has shape [1, 5]; the model expects [batch, 8]."
        return Results.BadRequest(new { error = e.Message });
    }

    int columns = output.Scores.Dimensions[1];
    var scores = new float[rows.Length][];
    for (int r = 0; r < scores.Length; r++)
    {
        scores[r] = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            scores[r][c] = output.Scores[r, c];
        }
    }

    return Results.Ok(new PredictResponse(scores, model.ExecutionProvider));
});

app.Run();
return 0;

internal sealed record PredictRequest(float[][]? Features)
{
    public const int MaxRows = 4096;
}

internal sealed record PredictResponse(float[][] Scores, string Provider);
