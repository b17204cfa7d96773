// dotnet run -c Release --project tests/benchmarks/secrets -- [all|corpus|secretlint|throughput|analyzer|realworld] [options]
var mode = args.Length > 0 ? args[0] : "all";
var seed = args.Length > 1 && int.TryParse(args[1], out var s) ? s : 1234;

if (mode is "all" or "corpus")
{
    CorpusBenchmark.Ours(CorpusBenchmark.Corpus(seed, perRule: 50));
}

if (mode is "all" or "secretlint")
{
    // secretlint needs about 0.1 s per file here, so the side-by-side uses a smaller corpus, scored for both tools.
    var corpus = CorpusBenchmark.Corpus(seed + 1, perRule: 10);
    CorpusBenchmark.Ours(corpus);
    CorpusBenchmark.Secretlint(corpus);
}

if (mode is "all" or "throughput")
{
    ThroughputBenchmark.Run();
}

if (mode is "all" or "analyzer")
{
    AnalyzerCostBenchmark.Run();
}

if (mode is "profile")
{
    if (Directory.Exists(args[1]))
    {
        ProfileDir.Run(args[1]);
    }
    else
    {
        Profile.Run(args[1]);
    }
}

if (mode is "realworld")
{
    var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    RealWorld.Run(args.Length > 1 ? args.Skip(1) : [Path.Combine(home, ".nuget/packages"), "/usr/share/dotnet"]);
}
