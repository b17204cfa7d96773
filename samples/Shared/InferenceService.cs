using Microsoft.ML.OnnxRuntime;

namespace Samples.Inference;

/// <summary>
/// The whole service, shared by both samples so that their Program.cs is two lines: configuration, request limits,
/// the model, the protocol, metrics, graceful shutdown. It listens where ASP.NET Core's own settings say
/// (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls), and serves gRPC on Grpc:Port (default 8081, 0 = off).
/// </summary>
public static class InferenceService
{
    /// <summary>Runs until the host is stopped (SIGTERM, Ctrl-C); returns the process exit code: 0 after a clean
    /// shutdown, 1 when the configuration is invalid or the model cannot be served.</summary>
    /// <param name="defaultDevice">"cpu" or "cuda": the device when Model:Device is not set.</param>
    public static int Run(string[] args, string defaultDevice)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        ModelSettings? settings = null;
        InferenceLimits? limits = null;
        int grpcPort = 0;
        string? configurationError = null;
        try
        {
            settings = ModelSettings.From(builder.Configuration, defaultDevice);
            _ = settings.CudaDeviceId; // validates Model:Device
            limits = InferenceLimits.From(builder.Configuration);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                // Larger bodies get 413 from Kestrel before they are read; the JSON parser never sees them.
                kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
                kestrel.AddServerHeader = false;
            });
            grpcPort = Settings.Int(builder.Configuration.GetSection("Grpc"), "Port", GrpcEndpoints.DefaultPort, min: 0, max: 65535);
            if (grpcPort > 0)
            {
                GrpcEndpoints.Configure(builder, grpcPort);
                builder.Services.AddGrpc(grpc =>
                {
                    // The same bound as a REST body; gRPC's own default (4 MB) would refuse a batch REST accepts.
                    grpc.MaxReceiveMessageSize = (int)Math.Min(limits.MaxRequestBodyBytes, int.MaxValue);
                    grpc.MaxSendMessageSize = null;
                });
            }
        }
        catch (InvalidOperationException ex)
        {
            configurationError = ex.Message;
        }

        // Disposed on every way out: that flushes the console logger's queue, so a critical line logged just before
        // an early "return 1" reaches the container's log instead of dying with the process.
        builder.Services.AddSingleton<InferenceState>();
        using WebApplication app = builder.Build();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Samples.Inference");
        if (configurationError is not null || settings is null || limits is null)
        {
            logger.LogCritical("Invalid configuration: {Error}", configurationError);
            return 1;
        }

        ModelHost model;
        try
        {
            // Loaded before the server starts listening: the service answers only once it can infer, and a model
            // that cannot be served fails the start (exit code 1) instead of every request.
            model = ModelHost.Load(settings, logger);
        }
        catch (ModelLoadException ex)
        {
            // ORT's own message already says what is wrong with the file; its stack trace would only bury it.
            logger.LogCritical(ex.InnerException is OnnxRuntimeException ? null : ex.InnerException, "{Reason}", ex.Message);
            return 1;
        }

        using (model)
        {
            var metrics = new Metrics();
            app.Use((context, next) => metrics.MeasureAsync(context, next));
            app.Use((context, next) => InferenceApi.HandleErrorsAsync(context, next, logger));
            app.MapInferenceApi(model, limits, metrics);
            if (grpcPort > 0)
            {
                InferenceState state = app.Services.GetRequiredService<InferenceState>();
                (state.Model, state.Limits, state.Metrics) = (model, limits, metrics);
                app.MapGrpcService<GrpcInferenceService>();
            }

            app.Lifetime.ApplicationStarted.Register(() => logger.LogInformation(
                "Serving model '{ModelName}' on {Provider}: KServe v2 at /v2 (JSON and binary tensors), {Grpc}, metrics at /metrics. Limits: {MaxBody} request body bytes, {MaxElements} tensor elements.",
                model.Name, model.Provider, grpcPort > 0 ? $"gRPC inference.GRPCInferenceService on port {grpcPort}" : "gRPC off (Grpc:Port=0)",
                limits.MaxRequestBodyBytes, limits.MaxElements));
            app.Lifetime.ApplicationStopping.Register(() => logger.LogInformation(
                "Shutting down: readiness now answers 503; requests in flight finish within the host's shutdown timeout."));

            // Returns once the host has stopped: Kestrel has stopped accepting and the requests in flight have finished
            // (or HostOptions.ShutdownTimeout, "--shutdownTimeoutSeconds", ran out). Only then is the session disposed.
            app.Run();
        }

        return 0;
    }
}
