using System.Diagnostics;
using System.Text.Json;
using ContainerSdk.Secrets;
using ContainerSdk.Tests.SecretCorpus;

/// <summary>Precision and recall per rule on the generated corpus, and the same corpus through secretlint.</summary>
internal static class CorpusBenchmark
{
    public static List<CorpusSample> Corpus(int seed, int perRule) => SecretCorpus.Generate(seed, perRule);

    public static void Ours(List<CorpusSample> corpus)
    {
        var clock = Stopwatch.StartNew();
        var predictions = corpus.ToDictionary(s => s, s => SecretScanner.Scan(s.Text, SecretSource.ForFile(s.Path)).Select(m => new CorpusPrediction(m.Rule.Id, m.Line)).ToList());
        var elapsed = clock.Elapsed;
        var mistakes = new List<string>();
        var scores = CorpusEvaluation.Score(corpus, s => predictions[s], mistakes);
        Console.WriteLine($"ContainerSdk on {corpus.Count} files ({corpus.Sum(s => s.Labels.Count)} planted secrets): {elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine(CorpusEvaluation.Table(scores));
        foreach (var m in mistakes.Take(20))
        {
            Console.WriteLine("  " + m);
            if (Environment.GetEnvironmentVariable("CSDK_EXPLAIN") == "1")
            {
                var path = m.Split(' ')[2].Split(':')[0];
                var line = int.Parse(m.Split(':').Last());
                var text = corpus.First(c => c.Path == path).Text ?? "";
                Console.WriteLine("      " + (line > 0 ? text.Split('\n')[line - 1] : "(file)"));
            }
        }
    }

    /// <summary>
    /// secretlint with its recommended preset, installed with npm into a temporary folder. Its findings carry its own
    /// rule names, so it is scored overall (by file and line); files it cannot see by content (.pfx) count against it.
    /// </summary>
    public static void Secretlint(List<CorpusSample> corpus)
    {
        var work = Path.Combine(Path.GetTempPath(), "csdk-secretlint");
        var tool = Path.Combine(work, "tool");
        var files = Path.Combine(work, "corpus");
        if (Directory.Exists(files))
        {
            Directory.Delete(files, true);
        }

        foreach (var sample in corpus)
        {
            var path = Path.Combine(files, sample.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (sample.Bytes is not null)
            {
                File.WriteAllBytes(path, sample.Bytes);
            }
            else
            {
                File.WriteAllText(path, sample.Text);
            }
        }

        Directory.CreateDirectory(tool);
        if (!File.Exists(Path.Combine(tool, "node_modules", ".bin", "secretlint")))
        {
            Console.WriteLine("installing secretlint with npm...");
            var install = Run("npm", "install --no-audit --no-fund --silent secretlint @secretlint/secretlint-rule-preset-recommend", tool, out var installOutput);
            if (install != 0)
            {
                Console.WriteLine("secretlint: npm install failed, skipping the comparison\n" + installOutput);
                return;
            }
        }

        File.WriteAllText(Path.Combine(work, ".secretlintrc.json"), "{ \"rules\": [ { \"id\": \"@secretlint/secretlint-rule-preset-recommend\" } ] }");
        var clock = Stopwatch.StartNew();
        // --output: node truncates large JSON written to a pipe when secretlint exits.
        var report = Path.Combine(work, "secretlint.json");
        File.Delete(report);
        Run(Path.Combine(tool, "node_modules", ".bin", "secretlint"), $"\"corpus/**/*\" \"corpus/**/.*\" --format json --secretlintrc .secretlintrc.json --output \"{report}\"", work, out var log);
        var elapsed = clock.Elapsed;
        var json = File.Exists(report) ? File.ReadAllText(report) : "";
        var start = json.IndexOf('[');
        if (start < 0)
        {
            Console.WriteLine("secretlint: no JSON output\n" + log[..Math.Min(log.Length, 2000)]);
            return;
        }

        var byFile = new Dictionary<string, List<CorpusPrediction>>(StringComparer.Ordinal);
        foreach (var result in JsonDocument.Parse(json[start..]).RootElement.EnumerateArray())
        {
            var relative = Path.GetRelativePath(files, result.GetProperty("filePath").GetString()!).Replace('\\', '/');
            var list = byFile.TryGetValue(relative, out var l) ? l : byFile[relative] = [];
            foreach (var message in result.GetProperty("messages").EnumerateArray())
            {
                list.Add(new CorpusPrediction(null, message.GetProperty("loc").GetProperty("start").GetProperty("line").GetInt32()));
            }
        }

        var scores = CorpusEvaluation.Score(corpus, s => byFile.TryGetValue(s.Path, out var p) ? p : []);
        var overall = scores.Single(s => s.Rule == CorpusEvaluation.Overall);
        Console.WriteLine($"secretlint (preset-recommend) on the same corpus: {elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine(CorpusEvaluation.Table([overall]));
    }

    internal static int Run(string file, string arguments, string directory, out string output)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        output = stdout.Result + stderr.Result;
        return process.ExitCode;
    }
}
