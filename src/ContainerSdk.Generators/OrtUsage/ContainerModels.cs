using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ContainerSdk.Onnx.Signatures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ContainerSdk.Generators.OrtUsage;

/// <summary>One ContainerModel as the analyzers know it: its paths and its input and output names in model order.</summary>
internal sealed class KnownModel
{
    public KnownModel(string file, string containerPath, string localPath, ImmutableArray<string> inputs, ImmutableArray<string> outputs)
    {
        File = file;
        ContainerPath = containerPath;
        LocalPath = localPath;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>The item spec as the project writes it, e.g. <c>models/text_model.onnx</c>.</summary>
    public string File { get; }

    public string ContainerPath { get; }

    public string LocalPath { get; }

    public ImmutableArray<string> Inputs { get; }

    public ImmutableArray<string> Outputs { get; }
}

/// <summary>
/// The project's ContainerModels, read from the signature files the build hands the compiler as AdditionalFiles
/// (the same items and metadata as the binding generator's). Read once per compilation.
/// </summary>
internal sealed class ContainerModels
{
    private ContainerModels(ImmutableArray<KnownModel> models) => Models = models;

    public ImmutableArray<KnownModel> Models { get; }

    /// <summary>The model a session with no recognizable path uses: the project's only model, if it has one.</summary>
    public KnownModel? Single => Models.Length == 1 ? Models[0] : null;

    public static ContainerModels Read(AnalyzerOptions options, CancellationToken ct)
    {
        var models = new List<KnownModel>();
        foreach (var file in options.AdditionalFiles)
        {
            var metadata = options.AnalyzerConfigOptionsProvider.GetOptions(file);
            if (!metadata.TryGetValue(Prefix + "ContainerSdkModelSignature", out var flag) || !string.Equals(flag.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // An unreadable signature is the generator's CSDK6011; here the model is just not known.
            if (file.GetText(ct)?.ToString() is not { } text || !SignatureText.TryParse(text, out var signature, out _) || signature is null)
            {
                continue;
            }

            string spec = Value(metadata, "ContainerSdkModelFile");
            models.Add(new KnownModel(
                Normalize(spec.Length > 0 ? spec : System.IO.Path.GetFileName(file.Path)),
                Normalize(Value(metadata, "ContainerSdkModelContainerPath")),
                Normalize(Value(metadata, "ContainerSdkModelLocalPath")),
                signature.Inputs.Select(v => v.Name).ToImmutableArray(),
                signature.Outputs.Select(v => v.Name).ToImmutableArray()));
        }

        return new ContainerModels(models.OrderBy(m => m.File, StringComparer.Ordinal).ToImmutableArray());
    }

    /// <summary>
    /// The model a literal path names. The rule, strongest match first, where each step must pick exactly one model:
    /// the path equals a model's item spec, container path or output-relative path; it ends with one of them after a
    /// '/' (e.g. <c>/srv/app/models/x.onnx</c> or <c>../models/x.onnx</c>), or one of them ends with it after a '/'
    /// (<c>resnet/model.onnx</c> for <c>models/resnet/model.onnx</c>); its file name equals the model's file name.
    /// Separators are compared as '/', a leading "./" is ignored, and case matters (Linux file systems). A path
    /// that names no model leaves the project's only model, if it has exactly one (that is the file the image ships),
    /// and otherwise no model.
    /// </summary>
    public KnownModel? Match(string? path)
    {
        if (path is null)
        {
            return Single;
        }

        string p = Normalize(path);
        return Unique(m => Paths(m).Any(x => x == p))
            ?? Unique(m => Paths(m).Any(x => p.EndsWith("/" + x, StringComparison.Ordinal) || x.EndsWith("/" + p, StringComparison.Ordinal)))
            ?? Unique(m => FileName(m.File) == FileName(p))
            ?? Single;
    }

    private KnownModel? Unique(Func<KnownModel, bool> predicate)
    {
        KnownModel? found = null;
        foreach (var model in Models)
        {
            if (predicate(model))
            {
                if (found is not null)
                {
                    return null;
                }

                found = model;
            }
        }

        return found;
    }

    private static IEnumerable<string> Paths(KnownModel model) =>
        new[] { model.File, model.ContainerPath, model.LocalPath }.Where(x => x.Length > 0);

    private static string FileName(string path) => path.Substring(path.LastIndexOf('/') + 1);

    private static string Normalize(string path)
    {
        path = path.Trim().Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path.Substring(2);
        }

        return path;
    }

    private static string Value(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue(Prefix + name, out var value) ? value.Trim() : "";

    private const string Prefix = "build_metadata.AdditionalFiles.";
}
