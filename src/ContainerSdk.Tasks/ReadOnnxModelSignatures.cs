using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ContainerSdk.Diagnostics;
using ContainerSdk.Onnx.Models;
using ContainerSdk.Onnx.Signatures;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// Writes the signature file of each .onnx ContainerModel (the <c>SignatureFile</c> metadata) for the binding
/// generator and the analyzers. A model that cannot be read is a coded error and leaves no signature behind, so no
/// stale binding survives it. Files are replaced atomically and only when their text changes.
/// </summary>
public sealed class ReadOnnxModelSignatures : Microsoft.Build.Utilities.Task
{
    /// <summary>The .onnx ContainerModel items, each with <c>SignatureFile</c> metadata (a path under obj/).</summary>
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    public string ProjectPath { get; set; } = "";

    /// <summary>The signature files that now exist, for FileWrites.</summary>
    [Output]
    public ITaskItem[] SignatureFiles { get; private set; } = [];

    public override bool Execute()
    {
        var written = new List<ITaskItem>();
        foreach (var model in Models)
        {
            var path = model.GetMetadata("FullPath");
            var target = model.GetMetadata("SignatureFile");
            var info = ModelFileReader.Read(path);
            foreach (var problem in info.Problems)
            {
                Log.Log(ToDiagnostic(model.ItemSpec, problem), ProjectPath);
            }

            if (!info.Ok)
            {
                // An error must not leave the previous model's signature (and so its binding) in place.
                if (File.Exists(target))
                {
                    File.Delete(target);
                }
                continue;
            }

            WriteIfChanged(target, SignatureText.Write(info.Signature!));
            written.Add(new Microsoft.Build.Utilities.TaskItem(target));
        }

        SignatureFiles = written.ToArray();
        return !Log.HasLoggedErrors;
    }

    internal static ContainerDiagnostic ToDiagnostic(string model, ModelProblem problem) => problem.Kind switch
    {
        ModelProblemKind.ExternalDataMissing => ContainerDiagnostic.Create("CSDK4011", model, problem.Detail, Path.GetDirectoryName(Path.GetFullPath(model))),
        ModelProblemKind.ExternalDataOutside => ContainerDiagnostic.Create("CSDK4012", model, problem.Detail),
        _ => ContainerDiagnostic.Create("CSDK4010", model, problem.Detail),
    };

    /// <summary>Unchanged text keeps the file (so the compiler sees the same AdditionalFile) but bumps its time, so
    /// the target's Inputs/Outputs check is satisfied on the next build.</summary>
    private static void WriteIfChanged(string path, string text)
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
