using System.Globalization;

namespace Samples.Inference;

/// <summary>
/// The model to serve and how, from configuration section "Model": appsettings.json, environment variables
/// (<c>Model__Path</c>, <c>Model__Name</c>, ...) or the command line (<c>--Model:Path=...</c>).
/// </summary>
/// <param name="Path">Absolute path of the .onnx file.</param>
/// <param name="Name">The <c>{name}</c> in <c>/v2/models/{name}</c>.</param>
/// <param name="Device">"cpu", or "cuda" / "cuda:N" to try CUDA device N (0 by default) and fall back to the CPU.</param>
/// <param name="IntraOpThreads">ORT's intra-op thread count; 0 lets ORT pick (one per core it can see, which in a
/// CPU-limited container may be more than the container may use).</param>
/// <param name="IntraOpSpinning">Whether ORT's intra-op threads spin-wait for work after a Run. ORT's own default is
/// to spin; a service's cores are shared with Kestrel's threads, which a spinning pool starves (measured in
/// samples/bench: 2-10x p50 at times on 2 cores), so the service turns it off unless told otherwise.</param>
public sealed record ModelSettings(string Path, string Name, string Device, int IntraOpThreads, bool IntraOpSpinning = false)
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
            (section["Device"] is { Length: > 0 } device ? device : defaultDevice).Trim().ToLowerInvariant(),
            Settings.Int(section, "IntraOpThreads", 0, min: 0, max: 1024),
            Settings.Int(section, "IntraOpSpinning", 0, min: 0, max: 1) == 1);
    }

    /// <summary>The CUDA device id when <see cref="Device"/> asks for CUDA ("cuda" = 0, "cuda:1" = 1); null for
    /// "cpu"; throws on anything else so a typo fails at startup instead of silently running on the CPU.</summary>
    public int? CudaDeviceId => Device switch
    {
        "cpu" => null,
        "cuda" => 0,
        _ when Device.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(Device.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int id) => id,
        _ => throw new InvalidOperationException($"Model:Device is '{Device}'; use 'cpu', 'cuda' or 'cuda:N'."),
    };
}

/// <summary>Request limits, from configuration section "Inference". Every request is bounded before anything is
/// allocated for it: the body by Kestrel, the tensors by their element count, the JSON by its depth.</summary>
/// <param name="MaxRequestBodyBytes">Kestrel's MaxRequestBodySize: larger bodies get 413 before they are read.</param>
/// <param name="MaxElements">Elements over all input tensors of one request (shapes are checked against it before
/// any data is decoded, so a shape like [1e9, 4] costs nothing).</param>
public sealed record InferenceLimits(long MaxRequestBodyBytes, long MaxElements)
{
    public const int MaxJsonDepth = 64;

    public static InferenceLimits From(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection("Inference");
        return new InferenceLimits(
            Settings.Long(section, "MaxRequestBodyBytes", 32L * 1024 * 1024, min: 1024, max: 2L * 1024 * 1024 * 1024),
            Settings.Long(section, "MaxElements", 16L * 1024 * 1024, min: 1, max: int.MaxValue));
    }
}

internal static class Settings
{
    public static long Long(IConfigurationSection section, string key, long fallback, long min, long max)
    {
        string? text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{section.Path}:{key} is '{text}'; expected an integer from {min} to {max}.");
    }

    public static int Int(IConfigurationSection section, string key, int fallback, int min, int max) =>
        (int)Long(section, key, fallback, min, max);
}
