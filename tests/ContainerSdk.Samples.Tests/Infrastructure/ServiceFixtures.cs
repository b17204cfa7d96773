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

    public async Task InitializeAsync() => _service = await ServiceProcess.StartAsync(ModelPath, ModelName, ExtraArgs);

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
