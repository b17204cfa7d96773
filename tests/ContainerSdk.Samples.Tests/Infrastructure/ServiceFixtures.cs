using OnnxModels;

namespace ContainerSdk.Samples.Tests.Infrastructure;

/// <summary>One service process per test class, serving one model; stopped (and its model deleted) afterwards.</summary>
public abstract class ServiceFixture : IAsyncLifetime
{
    private ServiceProcess? _service;

    protected ServiceFixture(string modelName, byte[] model, params string[] extraArgs)
    {
        ModelName = modelName;
        Model = model;
        ExtraArgs = extraArgs;
        ModelPath = TestModels.Write(modelName, model);
    }

    public string ModelName { get; }
    public byte[] Model { get; }
    public string ModelPath { get; }
    private string[] ExtraArgs { get; }

    public ServiceProcess Service => _service ?? throw new InvalidOperationException("not started");
    public HttpClient Http => Service.Http;

    public virtual async Task InitializeAsync() => _service = await ServiceProcess.StartAsync(ModelPath, ModelName, ExtraArgs);

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        Directory.Delete(Path.GetDirectoryName(ModelPath)!, recursive: true);
    }
}

public sealed class ReluService() : ServiceFixture("relu", ReluModel.Build());

/// <summary>A service with gRPC on; <see cref="Grpc"/> is a client of its inference.GRPCInferenceService.</summary>
public abstract class GrpcServiceFixture : ServiceFixture
{
    private global::Grpc.Net.Client.GrpcChannel? _channel;

    protected GrpcServiceFixture(string modelName, byte[] model, int grpcPort, params string[] extraArgs)
        : base(modelName, model, [$"--Grpc:Port={grpcPort}", .. extraArgs])
    {
        GrpcPort = grpcPort;
    }

    public int GrpcPort { get; }

    public global::Inference.GRPCInferenceService.GRPCInferenceServiceClient Grpc =>
        new((_channel ??= global::Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}",
            new global::Grpc.Net.Client.GrpcChannelOptions { MaxReceiveMessageSize = null })));
}

public sealed class TypesGrpcService() : GrpcServiceFixture("types", TestModels.Types(), ServiceProcess.FreePort());

public sealed class ReluGrpcService() : GrpcServiceFixture("relu", ReluModel.Build(), ServiceProcess.FreePort(),
    $"--Inference:MaxRequestBodyBytes={LimitedReluService.MaxBody}", $"--Inference:MaxElements={LimitedReluService.MaxElements}");

public sealed class LogicGrpcService() : GrpcServiceFixture("logic", TestModels.Logic(), ServiceProcess.FreePort());

public sealed class TypesService() : ServiceFixture("types", TestModels.Types());

public sealed class AdderService() : ServiceFixture("adder", TestModels.Adder());

public sealed class LogicService() : ServiceFixture("logic", TestModels.Logic());

/// <summary>The Relu model behind small limits, so that "too large" needs only a small request.</summary>
public sealed class LimitedReluService() : ServiceFixture("relu", ReluModel.Build(),
    $"--Inference:MaxRequestBodyBytes={LimitedReluService.MaxBody}", $"--Inference:MaxElements={LimitedReluService.MaxElements}")
{
    public const int MaxBody = 64 * 1024;
    public const int MaxElements = 4096;
}
