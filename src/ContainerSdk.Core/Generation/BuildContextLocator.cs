using System.IO;
using System.Linq;

namespace ContainerSdk.Generation;

/// <summary>The default build context: where a team runs `docker build .` from.</summary>
public static class BuildContextLocator
{
    public static string Find(string projectDirectory)
    {
        for (var dir = new DirectoryInfo(projectDirectory); dir is not null; dir = dir.Parent)
        {
            bool hasGit = Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git"));
            if (hasGit || dir.EnumerateFiles("*.sln").Any() || dir.EnumerateFiles("*.slnx").Any())
            {
                return dir.FullName.TrimEnd(Path.DirectorySeparatorChar);
            }
        }

        return Path.GetFullPath(projectDirectory).TrimEnd(Path.DirectorySeparatorChar);
    }
}
