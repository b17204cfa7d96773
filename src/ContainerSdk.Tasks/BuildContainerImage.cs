using System.Linq;
using ContainerSdk.Diagnostics;
using ContainerSdk.Images.Building;
using Microsoft.Build.Framework;

namespace ContainerSdk.Tasks;

/// <summary>BuildContainerImage: maps its parameters to <see cref="ImageBuildInputs"/>, runs the pipeline, logs what it
/// reports and sets the outputs.</summary>
public sealed partial class BuildContainerImage : Microsoft.Build.Utilities.Task, ICancelableTask, IImageBuildLog
{
    private ImageBuildPipeline? _pipeline;

    public void Cancel() => _pipeline?.Cancel();

    public override bool Execute()
    {
        _pipeline = new ImageBuildPipeline(ToInputs(), this);
        ImageBuildOutcome outcome = _pipeline.Run();
        EngineName = outcome.EngineName;
        ImageId = outcome.ImageId;
        ImageDigest = outcome.ImageDigest;
        ImageReferences = outcome.ImageReferences.ToArray();
        return outcome.Succeeded && !Log.HasLoggedErrors;
    }

    private ImageBuildInputs ToInputs() => new()
    {
        Dockerfile = Dockerfile,
        Context = Context,
        Engine = Engine,
        Registry = Registry,
        Repository = Repository,
        Tags = Tags,
        ExtraArguments = ExtraArguments,
        PushArguments = PushArguments,
        Secrets = Secrets.Select(s => new BuildSecretInput(s.ItemSpec, s.GetMetadata("File"), s.GetMetadata("Environment"))).ToList(),
        Platforms = Platforms,
        Push = Push,
        Verify = Verify,
        SourceRevision = SourceRevision,
        SourceDateEpoch = SourceDateEpoch,
        IntermediateDirectory = IntermediateDirectory,
        InfoFile = InfoFile,
        ProjectDirectory = ProjectDirectory,
        SecretsBaseline = SecretsBaseline,
        AllowRootUser = AllowRootUser,
        DisabledRules = DisabledRules,
        EngineSearchPath = EngineSearchPath,
        OutputImportance = OutputImportance,
        ToolVersion = ToolVersion,
    };

    void IImageBuildLog.Message(LogImportance importance, string text) => Log.Message(importance, text);

    void IImageBuildLog.Diagnostic(ContainerDiagnostic diagnostic) => Log.Log(diagnostic, Dockerfile);
}
