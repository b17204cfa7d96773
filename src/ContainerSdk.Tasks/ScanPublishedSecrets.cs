using System.Linq;
using ContainerSdk.Secrets;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>Maps the items to one <see cref="PublishedSecretScan"/> and logs what it reports.</summary>
public sealed partial class ScanPublishedSecrets
{
    public override bool Execute()
    {
        var result = PublishedSecretScan.Run(new PublishedSecretScanOptions
        {
            PublishDirectory = PublishDirectory,
            ProjectDirectory = ProjectDirectory,
            PublishedFiles = PublishedItems.Select(i => new PublishedFile(i.GetMetadata("RelativePath"), i.GetMetadata("FullPath"))).ToList(),
            Exclude = Exclude.Select(e => e.ItemSpec).ToList(),
            SarifFile = SarifFile,
            BaselineFile = BaselineFile,
            TreatAsErrors = TreatAsErrors,
            DisabledRules = DisabledRules,
            MaxFileSizeMB = MaxFileSizeMB,
            WriteBaseline = WriteBaseline,
            BaselineOutputFile = BaselineOutputFile,
            ToolVersion = ToolVersion,
        });

        foreach (var entry in result.Log)
        {
            Write(entry);
        }

        SecretCount = result.SecretCount;
        SarifOutput = result.SarifOutput;
        return !Log.HasLoggedErrors;
    }

    private void Write(ScanLogEntry entry)
    {
        if (entry.Diagnostic is { } diagnostic)
        {
            Log.Log(diagnostic, entry.File, entry.Line, entry.Column);
        }
        else
        {
            Log.Message(entry.Importance, entry.Message!);
        }
    }
}
