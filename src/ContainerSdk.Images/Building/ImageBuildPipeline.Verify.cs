using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images.Engines;
using ContainerSdk.Secrets;
using ContainerSdk.Images.Verification;

namespace ContainerSdk.Images.Building;

/// <summary>The verification step: save the built image as an archive in obj/ and run the image verifier on it.</summary>
public sealed partial class ImageBuildPipeline
{
    private ImageVerificationResult? VerifyImage(ContainerEngineKind kind, string engine, string image, bool warnOnly, TemporaryFiles temporary)
    {
        string archive = Path.Combine(inputs.IntermediateDirectory, "containersdk-image-verify.tar");
        File.Delete(archive);
        temporary.Add(archive);
        IReadOnlyList<string> save = EngineCommands.Save(kind, image, archive);
        Message(LogImportance.Normal, "ContainerSdk: {0}", EngineCommands.Display(engine, save));
        EngineResult saved = RunEngine(engine, save);
        if (!saved.Succeeded)
        {
            Report(ContainerDiagnostic.Create("CSDK5007", image, engine, EngineResultText.Describe(saved), EngineResultText.Lines(saved)));
            return null;
        }

        ImageVerificationResult result;
        try
        {
            result = ImageVerifier.Verify(archive, VerificationOptions());
        }
        catch (ImageArchiveException ex)
        {
            Report(ContainerDiagnostic.Create("CSDK5014", $"{ex.ArchivePath} (saved from {image})", ex.Reason));
            return null;
        }

        foreach (ImageFinding finding in result.Findings)
        {
            Report(ToDiagnostic(finding, warnOnly));
        }

        Message(LogImportance.High,
            "ContainerSdk: verified {0}: user {1}, {2} layers, {3} files ({4:F1} MB) scanned for secrets, {5} finding(s)",
            image, string.IsNullOrEmpty(result.User) ? "(none)" : result.User, result.LayerCount, result.FilesScanned, result.BytesScanned / 1e6, result.Findings.Count);
        return result;
    }

    private ImageVerificationOptions VerificationOptions()
    {
        var options = new ImageVerificationOptions { CheckUser = !inputs.AllowRootUser };
        foreach (string code in (inputs.DisabledRules ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()))
        {
            options.DisabledRules.Add(code);
        }

        if (!string.IsNullOrWhiteSpace(inputs.SecretsBaseline) && File.Exists(inputs.SecretsBaseline))
        {
            options.Baseline = SecretBaseline.Parse(File.ReadAllText(inputs.SecretsBaseline!), out _);
        }

        return options;
    }

    /// <summary>A finding as a diagnostic with the catalog's severity (an error), lowered to a warning with
    /// ContainerVerify=warn.</summary>
    internal static ContainerDiagnostic ToDiagnostic(ImageFinding finding, bool warnOnly)
    {
        // The verifier's messages read "CSDKnnnn: text"; MSBuild prints the code itself.
        string text = finding.Message.StartsWith(finding.Code + ": ", StringComparison.Ordinal) ? finding.Message.Substring(finding.Code.Length + 2) : finding.Message;
        var diagnostic = new ContainerDiagnostic(finding.Code, Messages.DefaultSeverity(finding.Code), text);
        return warnOnly ? diagnostic.WithSeverity(DiagnosticSeverity.Warning) : diagnostic;
    }
}
