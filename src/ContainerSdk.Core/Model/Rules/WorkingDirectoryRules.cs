using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ContainerSdk.Diagnostics;
using ContainerSdk.Text;

namespace ContainerSdk.Model.Rules;

/// <summary>ContainerWorkingDirectory: an absolute, plain path in the image (CSDK1011).</summary>
public static class WorkingDirectoryRules
{
    private static readonly Regex ImagePathPattern = new("^/[A-Za-z0-9._/-]{0,254}$", RegexOptions.CultureInvariant);

    /// <summary>An absolute path in the image of plain characters, with no <c>.</c> or <c>..</c> segment.</summary>
    internal static bool IsImagePath(string path) =>
        ImagePathPattern.IsMatch(path) && !path.Split('/').Any(s => s is "." or "..");

    /// <returns>The directory without a trailing '/' (except <c>/</c> itself).</returns>
    public static Parsed<string> Parse(string? value)
    {
        var diagnostics = new List<ContainerDiagnostic>();
        string workdir = string.IsNullOrWhiteSpace(value) ? ContainerDefaults.WorkingDirectory : value!.Trim();
        if (!IsImagePath(workdir))
        {
            diagnostics.Add(ContainerDiagnostic.Create("CSDK1011", ValueRules.Printable(workdir)));
        }

        return Parsed.Of(workdir.Length > 1 ? workdir.TrimEnd('/') : workdir, diagnostics);
    }
}
