using System.Diagnostics;
using ContainerSdk.Tasks;

/// <summary>
/// Publish scan throughput on a publish-like folder built from real files on this machine (npm's JavaScript, the
/// SDK's JSON and XML: realistic keyword density), real framework assemblies, and a 300 MB binary model.
/// </summary>
internal static class ThroughputBenchmark
{
    public static void Run(long textBytes = 256L << 20)
    {
        var root = Path.Combine(Path.GetTempPath(), "csdk-throughput");
        var text = Path.Combine(root, "text");
        var dlls = Path.Combine(root, "dlls");
        var model = Path.Combine(root, "model");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, true);
        }

        Directory.CreateDirectory(text);
        Directory.CreateDirectory(dlls);
        Directory.CreateDirectory(model);

        var sources = new[] { "/usr/lib/node_modules", "/usr/share/dotnet/sdk", "/usr/share/dotnet/packs" }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".js") || f.EndsWith(".json") || f.EndsWith(".xml") || f.EndsWith(".md") || f.EndsWith(".targets") || f.EndsWith(".props"))
            .Where(f => new FileInfo(f).Length is > 1024 and < (8 << 20))
            .ToList();
        long written = 0;
        for (var copy = 0; written < textBytes && sources.Count > 0; copy++)
        {
            foreach (var source in sources)
            {
                var target = Path.Combine(text, copy.ToString(), Path.GetFileName(Path.GetDirectoryName(source)!) + "_" + Path.GetFileName(source));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target, overwrite: true);
                written += new FileInfo(target).Length;
                if (written >= textBytes)
                {
                    break;
                }
            }
        }

        // One large text file (logs, a JSON lines data set): the chunked streaming path.
        var large = Path.Combine(root, "large");
        Directory.CreateDirectory(large);
        using (var output = File.Create(Path.Combine(large, "data.jsonl")))
        {
            foreach (var file in Directory.EnumerateFiles(text, "*", SearchOption.AllDirectories))
            {
                using var input = File.OpenRead(file);
                input.CopyTo(output);
                if (output.Length > (96L << 20))
                {
                    break;
                }
            }
        }

        var framework = Directory.GetDirectories("/usr/share/dotnet/shared/Microsoft.NETCore.App").First();
        foreach (var dll in Directory.GetFiles(framework, "*.dll"))
        {
            File.Copy(dll, Path.Combine(dlls, Path.GetFileName(dll)));
        }

        using (var file = new FileStream(Path.Combine(model, "model.onnx"), FileMode.Create))
        {
            var block = new byte[1 << 20];
            Random.Shared.NextBytes(block);
            for (var i = 0; i < 300; i++)
            {
                file.Write(block);
            }
        }

        Console.WriteLine($"publish scan throughput on {Environment.ProcessorCount} cores (warm page cache, best of 3):");
        Measure("text (js/json/xml/md), many small files", text);
        Measure("one large text file", large);
        Measure("framework assemblies (#US heap, constants, resources)", dlls);
        Measure("300 MB binary model", model);
        Measure("all of the above", root);
        if (Environment.GetEnvironmentVariable("CSDK_KEEP") != "1")
        {
            Directory.Delete(root, true);
        }
    }

    private static void Measure(string label, string folder)
    {
        var bytes = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var best = TimeSpan.MaxValue;
        long allocated = 0;
        var findings = 0;
        for (var run = 0; run < 3; run++)
        {
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(true);
            var engine = new QuietEngine();
            var clock = Stopwatch.StartNew();
            new ScanPublishedSecrets { BuildEngine = engine, PublishDirectory = folder }.Execute();
            clock.Stop();
            allocated = GC.GetTotalAllocatedBytes(true) - before;
            findings = engine.Warnings.Count;
            if (run == 0)
            {
                foreach (var w in engine.Warnings.Take(5))
                {
                    Console.WriteLine("    finding: " + w);
                }
            }
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        Console.WriteLine($"  {label,-55} {bytes / 1048576.0,8:0} MB in {best.TotalMilliseconds,7:0} ms = {bytes / 1048576.0 / best.TotalSeconds,7:0} MB/s, allocated {allocated / 1048576.0:0} MB, findings {findings}");
    }
}
