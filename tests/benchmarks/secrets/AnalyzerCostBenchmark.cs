extern alias analyzer;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

/// <summary>
/// Build cost of the analyzer: a generated project with 2,000 C# files and 200 content files, built from scratch
/// (--no-incremental) with and without ContainerSdk.Analyzers + ContainerSdk.Secrets.targets, alternating, best of N.
/// </summary>
internal static class AnalyzerCostBenchmark
{
    public static void Run(int runs = 3)
    {
        var repo = FindRepo();
        var analyzer = Path.Combine(repo, "src/ContainerSdk.Analyzers/bin/Release/netstandard2.0/ContainerSdk.Analyzers.dll");
        var tasks = Path.Combine(repo, "src/ContainerSdk.Tasks/bin/Release/net8.0/ContainerSdk.Tasks.dll");
        if (!File.Exists(analyzer))
        {
            CorpusBenchmark.Run("dotnet", "build -c Release src/ContainerSdk.Analyzers", repo, out _);
            CorpusBenchmark.Run("dotnet", "build -c Release src/ContainerSdk.Tasks", repo, out _);
        }

        var dir = Path.Combine(Path.GetTempPath(), "csdk-analyzer-cost");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, true);
        }

        Generate(dir, analyzer, tasks, Path.Combine(repo, "sdk/build/ContainerSdk.Secrets.targets"));
        InProcess(dir, runs: 5);
        if (Environment.GetEnvironmentVariable("CSDK_SKIP_BUILD") == "1")
        {
            Directory.Delete(dir, true);
            return;
        }

        CorpusBenchmark.Run("dotnet", "restore", dir, out _);

        TimeSpan Build(bool with)
        {
            var clock = Stopwatch.StartNew();
            var code = CorpusBenchmark.Run("dotnet", $"build --no-restore --no-incremental -c Release -nologo -v:q -p:WithSecrets={with.ToString().ToLowerInvariant()}", dir, out var output);
            clock.Stop();
            if (code != 0)
            {
                throw new InvalidOperationException(output);
            }

            return clock.Elapsed;
        }

        Build(true);
        Build(false);
        var with = new List<TimeSpan>();
        var without = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            without.Add(Build(false));
            with.Add(Build(true));
        }

        var median = (List<TimeSpan> l) => l.OrderBy(t => t).ElementAt(l.Count / 2);
        Console.WriteLine($"analyzer cost, 2,000 C# files + 200 content files, dotnet build --no-incremental, median of {runs}:");
        Console.WriteLine($"  without: {median(without).TotalSeconds:0.00} s   with: {median(with).TotalSeconds:0.00} s   ratio: {median(with).TotalSeconds / median(without).TotalSeconds:0.000}");
        Console.WriteLine($"  best:    {without.Min().TotalSeconds:0.00} s         {with.Min().TotalSeconds:0.00} s   ratio: {with.Min().TotalSeconds / without.Min().TotalSeconds:0.000}");
        Directory.Delete(dir, true);
    }

    /// <summary>
    /// The same project compiled in this process: Emit (binding + IL, what csc spends most of a build on) against
    /// the analyzer's own time through CompilationWithAnalyzers, with the 200 content files as AdditionalFiles.
    /// Less exposed to a busy machine than two whole builds.
    /// </summary>
    private static void InProcess(string dir, int runs)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.GetFiles(Path.Combine(dir, "src"), "*.cs")
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f)), parse, f)).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll")).Select(p => MetadataReference.CreateFromFile(p)).ToList();
        var additional = Directory.GetFiles(Path.Combine(dir, "config")).Select(f => (AdditionalText)new FileText(f)).ToImmutableArray();
        var options = new AnalyzerOptions(additional, new ContentOptions(additional));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new analyzer::ContainerSdk.Analyzers.SecretAnalyzer());

        TimeSpan Compile()
        {
            var compilation = CSharpCompilation.Create("Bench", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var clock = Stopwatch.StartNew();
            var result = compilation.Emit(Stream.Null);
            if (!result.Success)
            {
                throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Take(5)));
            }

            return clock.Elapsed;
        }

        (TimeSpan Time, int Count) Analyze()
        {
            var compilation = CSharpCompilation.Create("Bench", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var clock = Stopwatch.StartNew();
            var diagnostics = compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().Result;
            return (clock.Elapsed, diagnostics.Length);
        }

        Compile();
        Analyze();
        var compile = new List<TimeSpan>();
        var analyze = new List<TimeSpan>();
        var found = 0;
        for (var i = 0; i < runs; i++)
        {
            compile.Add(Compile());
            var (time, count) = Analyze();
            analyze.Add(time);
            found = count;
        }

        var c = compile.OrderBy(t => t).ElementAt(runs / 2).TotalSeconds;
        var a = analyze.OrderBy(t => t).ElementAt(runs / 2).TotalSeconds;
        Console.WriteLine($"analyzer cost in process, 2,000 C# files + 200 content files, median of {runs}:");
        Console.WriteLine($"  compile (Emit): {c:0.000} s   SecretAnalyzer: {a:0.000} s ({found} diagnostics)   ratio (compile + analyzer) / compile: {(c + a) / c:0.000}");
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(path));
    }

    /// <summary>What ContainerSdk.Secrets.targets passes: every content file marked ContainerSecretsRole=Content.</summary>
    private sealed class ContentOptions(ImmutableArray<AdditionalText> files) : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Content = new Options(new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ContainerSecretsRole"] = "Content" });
        private static readonly AnalyzerConfigOptions Empty = new Options([]);

        public override AnalyzerConfigOptions GlobalOptions => Empty;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => files.Contains(textFile) ? Content : Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "ContainerSdk.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository.");
    }

    private static void Generate(string dir, string analyzer, string tasks, string targets)
    {
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        Directory.CreateDirectory(Path.Combine(dir, "config"));
        // Isolate from the repository's Directory.Build.props / packages.
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Bench.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Library</OutputType>
                <Nullable>enable</Nullable>
                <ContainerSdkTasksAssembly>{tasks}</ContainerSdkTasksAssembly>
              </PropertyGroup>
              <ItemGroup>
                <Content Include="config/**" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
              <ItemGroup Condition="'$(WithSecrets)' == 'true'">
                <Analyzer Include="{analyzer}" />
              </ItemGroup>
              <Import Project="{targets}" Condition="'$(WithSecrets)' == 'true'" />
            </Project>
            """);
        var r = new Random(1);
        for (var i = 0; i < 2000; i++)
        {
            var code = new StringBuilder();
            code.AppendLine("using System;\nusing System.Collections.Generic;\n\nnamespace Bench.Area" + (i % 40) + ";\n");
            code.AppendLine($"public sealed class Service{i}\n{{");
            code.AppendLine($"    private const string Endpoint = \"https://api{i}.example.invalid/v1/items\";");
            code.AppendLine($"    private const string PasswordSettingName = \"Service{i}:Password\";");
            code.AppendLine($"    private readonly Dictionary<string, string> cache = new();");
            for (var m = 0; m < 12; m++)
            {
                code.AppendLine($"    public string Method{m}(string key, int count)\n    {{");
                code.AppendLine($"        var token = key + \":{r.Next()}\";");
                code.AppendLine($"        if (!cache.TryGetValue(token, out var value)) {{ value = $\"{{Endpoint}}/{{count}}?sort=desc&page={m}\"; cache[token] = value; }}");
                code.AppendLine($"        return count > {m} ? value : \"Invalid password or key for user {{0}}\";\n    }}\n");
            }

            code.AppendLine("}");
            File.WriteAllText(Path.Combine(dir, "src", $"Service{i}.cs"), code.ToString());
        }

        for (var i = 0; i < 200; i++)
        {
            var name = (i % 4) switch { 0 => $"settings{i}.json", 1 => $"settings{i}.yaml", 2 => $"settings{i}.config", _ => $"settings{i}.ini" };
            var body = (i % 4) switch
            {
                0 => $"{{\n  \"Service\": {{ \"Endpoint\": \"https://api{i}.example.invalid\", \"Timeout\": 30, \"ApiKeyHeader\": \"X-Api-Key\", \"Password\": \"${{SERVICE_PASSWORD}}\" }}\n}}\n",
                1 => $"service:\n  endpoint: https://api{i}.example.invalid\n  token_ttl: 3600\n  password: ${{SERVICE_PASSWORD}}\n",
                2 => $"<configuration>\n  <appSettings>\n    <add key=\"Endpoint\" value=\"https://api{i}.example.invalid\" />\n    <add key=\"PasswordFormat\" value=\"Hashed\" />\n  </appSettings>\n</configuration>\n",
                _ => $"[service]\nendpoint = https://api{i}.example.invalid\nsecret_ref = vault://kv/{i}\n",
            };
            File.WriteAllText(Path.Combine(dir, "config", name), string.Concat(Enumerable.Repeat(body, 20)));
        }
    }
}
