using System;
using System.Collections.Generic;
using System.IO;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>Full paths made relative to the build context, as every COPY names them (CSDK1014, CSDK1015).</summary>
public static class ContextPaths
{
    /// <summary>The context as a full path that ends with the directory separator.</summary>
    public static string NormalizeDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        return full.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? full : full + Path.DirectorySeparatorChar;
    }

    /// <summary>Context-relative path with '/' separators; folders (given with a trailing separator) keep a trailing '/'.</summary>
    /// <param name="context">From <see cref="NormalizeDirectory"/>.</param>
    /// <param name="path">A full path.</param>
    /// <param name="diagnostics">Gets the reason a <paramref name="required"/> path has no relative form.</param>
    /// <param name="required">False: a path outside the context or unsafe is dropped silently.</param>
    public static string? Relative(string context, string path, List<ContainerDiagnostic> diagnostics, bool required)
    {
        bool isDirectory = path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith("\\", StringComparison.Ordinal);
        if (ValueRules.HasControlCharacter(path))
        {
            if (required)
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1014", ValueRules.Printable(path)));
            }

            return null;
        }

        var full = Path.GetFullPath(path);
        if (!full.StartsWith(context, StringComparison.Ordinal))
        {
            if (required)
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1015", ValueRules.Printable(path), context.TrimEnd(Path.DirectorySeparatorChar)));
            }

            return null;
        }

        var relative = full.Substring(context.Length).Replace('\\', '/').TrimEnd('/');
        if (!ValueRules.IsSafePath(relative) || relative.Length == 0)
        {
            if (required)
            {
                diagnostics.Add(ContainerDiagnostic.Create("CSDK1014", ValueRules.Printable(relative)));
            }

            return null;
        }

        return isDirectory ? relative + "/" : relative;
    }
}
