using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Onnx.Reading;
using ContainerSdk.Onnx.Signatures;

namespace ContainerSdk.Onnx.Models;

/// <summary>What is wrong with a model file, for the task to turn into its CSDK code.</summary>
public enum ModelProblemKind
{
    /// <summary>Missing, unreadable, truncated, corrupt or not ONNX (CSDK4010).</summary>
    Unreadable,

    /// <summary>An external-data file the model names does not exist (CSDK4011).</summary>
    ExternalDataMissing,

    /// <summary>An external-data location is absolute or leaves the model's folder (CSDK4012).</summary>
    ExternalDataOutside,
}

public sealed record ModelProblem(ModelProblemKind Kind, string Detail);

/// <summary>A model's signature, the full paths of its external-data files, and what is wrong with it.</summary>
public sealed record ModelFileInfo(ModelSignature? Signature, IReadOnlyList<string> ExternalDataPaths, IReadOnlyList<ModelProblem> Problems)
{
    public bool Ok => Signature is not null && Problems.Count == 0;
}

/// <summary>Reads one .onnx file and checks the files its tensors' external data names (relative to the model's
/// folder, as ONNX defines <c>location</c>).</summary>
public static class ModelFileReader
{
    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public static ModelFileInfo Read(string modelPath)
    {
        ModelSignature signature;
        try
        {
            signature = OnnxSignatureReader.Read(modelPath);
        }
        catch (OnnxFormatException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
        var paths = new List<string>();
        var problems = new List<ModelProblem>();
        foreach (var location in signature.ExternalDataFiles)
        {
            var full = Path.GetFullPath(Path.Combine(folder, location));
            if (Path.IsPathRooted(location) || location.Split('/').Contains("..") ||
                !full.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add(new ModelProblem(ModelProblemKind.ExternalDataOutside, location));
            }
            else if (!File.Exists(full))
            {
                problems.Add(new ModelProblem(ModelProblemKind.ExternalDataMissing, location));
            }
            else
            {
                paths.Add(full);
            }
        }

        return new ModelFileInfo(signature, paths, problems);
    }

    private static ModelFileInfo Fail(string detail) =>
        new(null, Array.Empty<string>(), new[] { new ModelProblem(ModelProblemKind.Unreadable, detail) });
}
