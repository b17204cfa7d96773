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
        var d = entry.Diagnostic;
        if (d is null)
        {
            Log.LogMessage(Importance(entry.Importance), entry.Message);
        }
        else if (d.IsError)
        {
            Log.LogError(null, d.Code, null, d.HelpLink, entry.File, entry.Line, entry.Column, 0, 0, d.Message);
        }
        else
        {
            Log.LogWarning(null, d.Code, null, d.HelpLink, entry.File, entry.Line, entry.Column, 0, 0, d.Message);
        }
    }

    private static MessageImportance Importance(ScanMessageImportance importance) => importance switch
    {
        ScanMessageImportance.High => MessageImportance.High,
        ScanMessageImportance.Low => MessageImportance.Low,
        _ => MessageImportance.Normal,
    };
}
