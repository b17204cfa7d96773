using System.Diagnostics;
using ContainerSdk.Secrets;

/// <summary>
/// False positives on files that ship for real and hold no secret: the .NET shared frameworks and the NuGet cache
/// (assemblies through the same reader as the publish scan, text files as text). Every finding here is a candidate
/// false positive to look at.
/// </summary>
internal static class RealWorld
{
    public static void Run(IEnumerable<string> roots, int maxFindingsShown = 60)
    {
        var clock = Stopwatch.StartNew();
        var task = new ContainerSdk.Tasks.ScanPublishedSecrets();
        var findings = new List<string>();
        var files = 0;
        long bytes = 0;
        foreach (var root in roots.Where(Directory.Exists))
        {
            var engine = new QuietEngine();
            task = new ContainerSdk.Tasks.ScanPublishedSecrets { BuildEngine = engine, PublishDirectory = root, SarifFile = null };
            task.Execute();
            files += engine.Files;
            bytes += engine.Bytes;
            findings.AddRange(engine.Warnings);
        }

        Console.WriteLine($"real-world negatives: {files} files, {bytes / 1048576.0:0} MB, {findings.Count} findings in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var f in findings.Take(maxFindingsShown))
        {
            Console.WriteLine("  " + f);
        }
    }
}
