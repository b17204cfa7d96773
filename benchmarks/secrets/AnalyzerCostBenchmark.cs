using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

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

        CorpusBenchmark.Run("dotnet", "build --no-restore --no-incremental -c Release -nologo -v:n -p:WithSecrets=true -p:ReportAnalyzer=true", dir, out var report);
        var analyzerTime = Regex.Match(report, @"ContainerSdk\.Analyzers[^\n]*?\n?[^\n]*?([0-9]+\.?[0-9]*)\s*<?\s*\d*\s*ContainerSdk\.Analyzers\.SecretAnalyzer");
        var total = Regex.Match(report, @"Total analyzer execution time: ([0-9.]+) seconds");
        var ours = Regex.Match(report, @"([0-9.<]+)\s+\d+\s+ContainerSdk\.Analyzers\.SecretAnalyzer");
        var median = (List<TimeSpan> l) => l.OrderBy(t => t).ElementAt(l.Count / 2);
        Console.WriteLine($"analyzer cost, 2,000 C# files + 200 content files, dotnet build --no-incremental, median of {runs}:");
        Console.WriteLine($"  without: {median(without).TotalSeconds:0.00} s   with: {median(with).TotalSeconds:0.00} s   ratio: {median(with).TotalSeconds / median(without).TotalSeconds:0.000}");
        Console.WriteLine($"  best:    {without.Min().TotalSeconds:0.00} s         {with.Min().TotalSeconds:0.00} s   ratio: {with.Min().TotalSeconds / without.Min().TotalSeconds:0.000}");
        Console.WriteLine($"  /reportanalyzer: SecretAnalyzer {(ours.Success ? ours.Groups[1].Value : "?")} s of {(total.Success ? total.Groups[1].Value : "?")} s total analyzer time");
        Directory.Delete(dir, true);
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
