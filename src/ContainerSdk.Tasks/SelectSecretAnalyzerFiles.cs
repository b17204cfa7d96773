using System.IO;
using System.Linq;
using ContainerSdk.Secrets;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>
/// Picks the project items the secret analyzer is not handed as AdditionalFiles: binaries by extension
/// (<see cref="SecretFileNames.IsKnownBinary"/>, the one list the scans use), except those whose name alone is a finding
/// (<see cref="SecretFileNames.IsAnalyzerInput"/>). sdk/build/ContainerSdk.Secrets.targets removes them.
/// </summary>
public sealed class SelectSecretAnalyzerFiles : Microsoft.Build.Utilities.Task
{
    /// <summary>The items that will be copied to the output or publish folder, or embedded.</summary>
    public ITaskItem[] Candidates { get; set; } = [];

    /// <summary>The candidates that are binaries the analyzer should not see.</summary>
    [Output] public ITaskItem[] Binaries { get; private set; } = [];

    public override bool Execute()
    {
        Binaries = Candidates.Where(c => !SecretFileNames.IsAnalyzerInput(Path.GetFileName(c.ItemSpec))).ToArray();
        return true;
    }
}
