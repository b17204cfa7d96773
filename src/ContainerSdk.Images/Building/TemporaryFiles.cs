using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ContainerSdk.Images.Engines;

namespace ContainerSdk.Images.Building;

/// <summary>
/// The files a build leaves in obj/ only while it runs: environment secrets written for podman and buildah (they read
/// secrets from files only; the value never appears on a command line or in a log) and the verification archive.
/// Disposing deletes them.
/// </summary>
public sealed class TemporaryFiles : IDisposable
{
    private readonly List<string> files = [];

    public IReadOnlyList<string> Paths => files;

    public void Add(string path) => files.Add(path);

    /// <summary>The secrets as <paramref name="kind"/> receives them: docker reads environment secrets itself, the
    /// other engines get each one as a private (0600) file in <paramref name="folder"/>.</summary>
    public List<BuildSecret> ForEngine(ContainerEngineKind kind, IReadOnlyList<BuildSecret> fileSecrets, IReadOnlyList<BuildSecret> environmentSecrets, string folder)
    {
        var engineSecrets = new List<BuildSecret>(fileSecrets);
        foreach (BuildSecret secret in environmentSecrets)
        {
            if (kind == ContainerEngineKind.Docker)
            {
                engineSecrets.Add(secret);
                continue;
            }

            string file = Path.Combine(folder, "containersdk-secret-" + Guid.NewGuid().ToString("N"));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(file, options))
            {
                byte[] value = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(secret.EnvironmentVariable!) ?? "");
                stream.Write(value, 0, value.Length);
            }

            files.Add(file);
            engineSecrets.Add(secret with { File = file, EnvironmentVariable = null });
        }

        return engineSecrets;
    }

    public void Dispose()
    {
        foreach (string file in files)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort; the folder is the project's obj/.
            }
        }
    }
}
