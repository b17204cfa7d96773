using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Onnx.Models;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>The external-data files of .onnx models (full paths), so the image's publish can leave them to the
/// model's layer like the models themselves. Unreadable models are GenerateDockerfile's and the signature task's to
/// report; here they simply have none.</summary>
public sealed class GetOnnxExternalData : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    [Output]
    public ITaskItem[] ExternalData { get; private set; } = [];

    public override bool Execute()
    {
        var files = new List<ITaskItem>();
        foreach (var path in Models.Select(m => m.GetMetadata("FullPath")).Where(ModelFileReader.IsOnnx))
        {
            files.AddRange(ModelFileReader.Read(path).ExternalDataPaths.Select(p => new Microsoft.Build.Utilities.TaskItem(p)));
        }

        ExternalData = files.ToArray();
        return true;
    }
}
