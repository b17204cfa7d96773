using System.Diagnostics;
using ContainerSdk.Secrets;

/// <summary>Time and allocation of the scanner on one file, read as text under several names (which decide the format).</summary>
internal static class Profile
{
    public static void Run(string file)
    {
        var text = File.ReadAllText(file);
        foreach (var name in new[] { "x.bin.txt", "x.json", "x.xml", "x.yaml", Path.GetFileName(file) })
        {
            SecretScanner.Scan(text, SecretSource.ForFile(name));
            var before = GC.GetTotalAllocatedBytes(true);
            var clock = Stopwatch.StartNew();
            var n = 0;
            for (var i = 0; i < 3; i++)
            {
                n = SecretScanner.Scan(text, SecretSource.ForFile(name)).Count;
            }

            var hits = new List<int>();
            var c2 = Stopwatch.StartNew();
            SecretScanner.FindKeywordHits(text, SecretSource.ForFile(name), hits);
            Console.WriteLine($"   keyword pass: {text.Length / 1048576.0 / c2.Elapsed.TotalSeconds:0} MB/s, {hits.Count} hits");
            Console.WriteLine($"{name,-30} {text.Length / 1048576.0 * 3 / clock.Elapsed.TotalSeconds,8:0} MB/s  alloc {(GC.GetTotalAllocatedBytes(true) - before) / 3 / 1048576.0,8:0.0} MB  findings {n}");
        }
    }
}

internal static class ProfileDir
{
    public static void Run(string dir)
    {
        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToList();
        var texts = files.Select(f => (f, File.ReadAllText(f))).ToList();
        foreach (var (f, t) in texts.Take(200))
        {
            SecretScanner.Scan(t, SecretSource.ForFile(f));
        }

        var byExt = new Dictionary<string, (double Ms, long Chars, int N)>();
        var slow = new List<(double Ms, string File, int Chars)>();
        var total = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var (f, t) in texts)
        {
            var clock = Stopwatch.StartNew();
            SecretScanner.Scan(t, SecretSource.ForFile(f));
            var ms = clock.Elapsed.TotalMilliseconds;
            var ext = Path.GetExtension(f);
            var cur = byExt.GetValueOrDefault(ext);
            byExt[ext] = (cur.Ms + ms, cur.Chars + t.Length, cur.N + 1);
            slow.Add((ms, f, t.Length));
        }

        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"scan only: {texts.Sum(t => (long)t.Item2.Length) / 1048576.0 / total.Elapsed.TotalSeconds:0} M chars/s wall, {texts.Sum(t => (long)t.Item2.Length) / 1048576.0 / cpuSeconds:0} M chars per CPU second, over {texts.Count} files");
        foreach (var (ext, v) in byExt.OrderByDescending(e => e.Value.Ms))
        {
            Console.WriteLine($"  {ext,-10} {v.N,6} files {v.Chars / 1048576.0,8:0.0} M chars {v.Ms,8:0} ms  {v.Chars / 1048576.0 / (v.Ms / 1000),6:0} M chars/s");
        }

        foreach (var s in slow.OrderByDescending(s => s.Ms).Take(8))
        {
            Console.WriteLine($"  {s.Ms,8:0.0} ms {s.Chars,9} chars {s.File}");
        }
    }
}
