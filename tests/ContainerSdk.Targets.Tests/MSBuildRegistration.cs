using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ContainerSdk.Targets.Tests;

/// <summary>
/// Registers the installed .NET SDK's MSBuild before any Microsoft.Build type loads: the output folder holds no
/// Microsoft.Build*.dll (ExcludeAssets="runtime"), so the locator resolves them from the SDK that `dotnet test` runs on.
/// Tests run one at a time: ProjectInstance.Build goes through the process-wide default BuildManager.
/// </summary>
internal static class MSBuildRegistration
{
#pragma warning disable CA2255 // A test assembly's module initializer is the documented place for MSBuildLocator.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }
    }
}
