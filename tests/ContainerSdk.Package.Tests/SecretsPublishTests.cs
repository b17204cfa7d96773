using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContainerSdk.Secrets;
using ContainerSdk.Tests.SecretCorpus;

namespace ContainerSdk.Package.Tests;

/// <summary>
/// Issue 3 end to end: one fresh solution with secrets of every kind planted where they really come from (the app's
/// Content, a referenced project's content, a NuGet package's content files, a C# constant) next to the look-alikes
/// that must stay quiet, built and published from the packed package. The build log, the publish log, the SARIF report,
/// ContainerSecretsAsErrors and the baseline are compared with what was planted. The solution is built once per run
/// (publishing is slow) and shared by the tests of this class, which the collection runs one at a time.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class SecretsPublishTests(PackageFixture package)
{
    private static readonly object Gate = new();
    private static Lazy<PlantedSolution>? solution;

    /// <summary>Built on first use; a failure to build it is cached too, so each test reports it without retrying.</summary>
    private PlantedSolution Solution
    {
        get
        {
            lock (Gate)
            {
                solution ??= new Lazy<PlantedSolution>(() => PlantedSolution.Create(package));
            }

            return solution.Value;
        }
    }

    [Fact]
    public void Publish_warns_once_for_every_planted_secret_at_its_file_and_line_and_never_for_a_look_alike()
    {
        var s = Solution;
        s.Planted.Select(p => p.Code).Distinct().Order().ShouldBe(SecretRules.All.Select(r => r.Id).Order(), "a secret for every rule is planted");
        s.Publish.ShouldSucceed();
        var warnings = Diagnostics(s.Publish.Warnings, "warning");
        foreach (var planted in s.Planted)
        {
            var match = warnings.Where(w => w.Code == planted.Code && w.File == planted.ReportedFile && w.Line == planted.Line).ToList();
            match.Count.ShouldBe(1, $"{planted} in the publish log ({s.Context}):\n{string.Join('\n', s.Publish.Warnings)}");
            match[0].Message.ShouldContain("'" + planted.PublishedPath, Case.Sensitive, "the message names the published file");
        }

        warnings.Count.ShouldBe(s.Planted.Count, $"nothing but the planted secrets ({s.Context}):\n{string.Join('\n', s.Publish.Warnings)}");
        foreach (var lookAlike in s.LookAlikeFiles)
        {
            s.Publish.Warnings.ShouldNotContain(w => w.Contains(lookAlike, StringComparison.Ordinal), $"look-alike {lookAlike} ({s.Context})");
        }

        s.Publish.Output.ShouldContain($": {s.Planted.Count} found; report: {s.SarifPath}");
    }

    [Fact]
    public void No_log_line_and_no_sarif_byte_holds_a_planted_secret()
    {
        var s = Solution;
        var texts = new Dictionary<string, string>
        {
            ["build log"] = s.Build.Output + string.Join('\n', s.Build.Warnings),
            ["publish log"] = s.Publish.Output + string.Join('\n', s.Publish.Warnings),
            ["AsErrors publish log"] = s.PublishAsErrors.Output + string.Join('\n', s.PublishAsErrors.Errors),
            ["SARIF"] = s.Sarif,
            ["SARIF string values"] = JsonStrings(s.Sarif),
            ["AsErrors SARIF string values"] = JsonStrings(s.SarifAsErrors),
        };
        s.Secrets.Count.ShouldBeGreaterThan(25);
        foreach (var (name, text) in texts)
        {
            foreach (var secret in s.Secrets)
            {
                text.Contains(secret, StringComparison.Ordinal).ShouldBeFalse($"the {name} holds a planted secret ({secret.Length} chars, {s.Context})");
            }
        }
    }

    [Fact]
    public void Sarif_report_has_one_result_per_planted_secret_with_its_rule_and_location()
    {
        var s = Solution;
        using var sarif = JsonDocument.Parse(s.Sarif);
        var root = sarif.RootElement;
        root.GetProperty("version").GetString().ShouldBe("2.1.0");
        root.GetProperty("$schema").GetString()!.ShouldContain("sarif-2.1.0");
        var run = root.GetProperty("runs").EnumerateArray().Single();
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("id").GetString()).ShouldBe(SecretRules.All.Select(r => r.Id));
        foreach (var rule in rules)
        {
            var id = rule.GetProperty("id").GetString()!;
            rule.GetProperty("helpUri").GetString()!.ShouldEndWith("/docs/diagnostics/" + id + ".md");
            rule.GetProperty("shortDescription").GetProperty("text").GetString().ShouldNotBeNullOrWhiteSpace();
            rule.GetProperty("properties").GetProperty("security-severity").GetString().ShouldNotBeNullOrWhiteSpace();
        }

        var srcRoot = new Uri(run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString()!);
        srcRoot.LocalPath.TrimEnd('/').ShouldBe(s.RepoRoot, "the source root is the repository (the folder with .git)");

        var results = run.GetProperty("results").EnumerateArray().Select(r => new
        {
            RuleId = r.GetProperty("ruleId").GetString()!,
            RuleIndex = r.GetProperty("ruleIndex").GetInt32(),
            Level = r.GetProperty("level").GetString(),
            Artifact = r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation"),
            Region = r.GetProperty("locations")[0].GetProperty("physicalLocation").TryGetProperty("region", out var region) ? region : (JsonElement?)null,
            PublishedPath = r.GetProperty("properties").GetProperty("publishedPath").GetString(),
            Fingerprint = r.GetProperty("partialFingerprints").GetProperty("containerSdkSecret/v1").GetString(),
        }).ToList();
        results.Count.ShouldBe(s.Planted.Count, s.Context);
        foreach (var planted in s.Planted)
        {
            var found = results.Where(r => r.RuleId == planted.Code && r.Artifact.GetProperty("uri").GetString() == planted.SarifUri
                && (r.Region?.GetProperty("startLine").GetInt32() ?? 0) == planted.Line).ToList();
            found.Count.ShouldBe(1, $"{planted} in the SARIF report ({s.Context}):\n{s.Sarif}");
            var result = found[0];
            result.Artifact.GetProperty("uriBaseId").GetString().ShouldBe("%SRCROOT%");
            result.Level.ShouldBe("warning");
            result.PublishedPath.ShouldBe(planted.PublishedPath);
            result.Fingerprint.ShouldNotBeNullOrWhiteSpace();
            rules[result.RuleIndex].GetProperty("id").GetString().ShouldBe(planted.Code);
        }

        using var errors = JsonDocument.Parse(s.SarifAsErrors);
        errors.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r => r.GetProperty("level").GetString())
            .ShouldAllBe(level => level == "error");
    }

    [Fact]
    public void Analyzer_reports_the_csharp_constant_and_the_shipped_project_items_at_build_time()
    {
        var s = Solution;
        s.Build.ShouldSucceed();
        var warnings = Diagnostics(s.Build.Warnings, "warning");
        var constant = warnings.Where(w => w.File == s.ProgramFile && w.Code == "CSDK3206").ToList();
        constant.Count.ShouldBe(1, string.Join('\n', s.Build.Warnings));
        constant[0].Line.ShouldBe(s.ConstantLine);
        constant[0].Column.ShouldBe(s.ConstantColumn);
        constant[0].Message.ShouldContain("compiled into the assembly");
        warnings.Where(w => w.File == s.ProgramFile).Count().ShouldBe(1, "the C# look-alikes (a PEM header, AWS's example key) stay quiet");

        // Same rules before publishing: every finding of the publish scan in a file the project itself ships (its
        // own items and the NuGet content it copies to the output), found by the analyzer at the same place.
        var expected = s.Planted.Where(p => p.SeenByAnalyzer).Select(p => (p.Code, p.ReportedFile, Math.Max(1, p.Line))).OrderBy(p => p).ToList();
        var actual = warnings.Where(w => w.File != s.ProgramFile).Select(w => (w.Code, w.File, w.Line)).OrderBy(p => p).ToList();
        actual.ShouldBe(expected, $"analyzer warnings ({s.Context}):\n{string.Join('\n', s.Build.Warnings)}");
    }

    [Fact]
    public void Analyzer_runs_once_in_package_reference_mode_too()
    {
        var random = new CorpusRandom(Environment.TickCount);
        var project = TestProject.Create(package, package.NewWorkspace("secrets-pkgref"), "tool", ReferenceMode.PackageReference, web: false);
        var key = "s" + "k_live_" + random.Alnum(32);
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), $"Console.WriteLine(Keys.Stripe.Length);\n\ninternal static class Keys\n{{\n    public const string Stripe = \"{key}\";\n}}\n");
        var result = project.Build();
        result.ShouldSucceed();
        var warnings = Diagnostics(result.Warnings, "warning");
        warnings.Select(w => (w.Code, Path.GetFileName(w.File), w.Line, w.Column)).ShouldBe([("CSDK3206", "Program.cs", 5, 34)], string.Join('\n', result.Warnings));
        result.Output.ShouldNotContain(key);
    }

    [Fact]
    public void ContainerSecretsAsErrors_fails_the_publish_with_an_error_per_planted_secret()
    {
        var s = Solution;
        s.PublishAsErrors.ExitCode.ShouldNotBe(0, s.PublishAsErrors.Output);
        var errors = Diagnostics(s.PublishAsErrors.Errors, "error");
        errors.Select(e => (e.Code, e.File, e.Line)).OrderBy(e => e).ShouldBe(s.Planted.Select(p => (p.Code, p.ReportedFile, p.Line)).OrderBy(p => p), s.Context);
        Diagnostics(s.PublishAsErrors.Warnings, "warning").ShouldBeEmpty();
    }

    [Fact]
    public void A_baseline_written_by_the_package_target_silences_the_next_publish()
    {
        var s = Solution;
        var baseline = Path.Combine(s.AppDirectory, "ContainerSecrets.baseline");
        File.Exists(baseline).ShouldBeFalse();
        var write = Dotnet.Run(s.AppDirectory, "build", s.AppProject, "-c", "Release", "-t:WriteContainerSecretsBaseline");
        write.ShouldSucceed();
        File.Exists(baseline).ShouldBeTrue();
        var text = File.ReadAllText(baseline);
        foreach (var code in s.Planted.Select(p => p.Code).Distinct())
        {
            text.ShouldContain(code);
        }

        // The analyzer reads the baseline too: make sure the compiler (and so the analyzer) runs again.
        File.SetLastWriteTimeUtc(s.ProgramFile, DateTime.UtcNow);
        var again = Dotnet.Run(s.AppDirectory, "publish", s.AppProject);
        again.ShouldSucceed();
        again.Output.ShouldContain($"ContainerSdk: scanned ");
        again.Output.ShouldContain($": 0 found, {s.Planted.Count} accepted by the baseline");
        again.Output.ShouldContain("app -> " + Path.Combine(s.AppDirectory, "bin", "Release", "net10.0", "app.dll"));
        again.Warnings.Where(w => Regex.IsMatch(w, @"warning CSDK3\d{3}:")).ShouldBeEmpty(string.Join('\n', again.Warnings));

        foreach (var secret in s.Secrets)
        {
            text.Contains(secret, StringComparison.Ordinal).ShouldBeFalse($"the baseline holds a planted secret ({s.Context})");
            (write.Output + again.Output).Contains(secret, StringComparison.Ordinal).ShouldBeFalse($"a log holds a planted secret ({s.Context})");
        }
    }

    internal sealed record Diagnostic(string File, int Line, int Column, string Code, string Message);

    /// <summary>
    /// CSDK3xxx lines of an MSBuild file log: "[NODE>]FILE(LINE,COL): warning CODE: MESSAGE [PROJECT]", or "FILE : warning ..."
    /// for a finding about a whole file.
    /// </summary>
    internal static List<Diagnostic> Diagnostics(IEnumerable<string> lines, string kind) =>
        lines.Select(l => Regex.Match(l.Trim(), @"^(?:\d+(?::\d+)?>)?(?<file>.+?)(?:\((?<line>\d+),(?<col>\d+)\))? ?: " + kind + @" (?<code>CSDK3\d{3}): (?<msg>.*?)(?: \[[^\]]+\])?$"))
            .Where(m => m.Success)
            .Select(m => new Diagnostic(m.Groups["file"].Value.Trim(), m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value) : 0,
                m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value) : 0, m.Groups["code"].Value, m.Groups["msg"].Value))
            .ToList();

    /// <summary>Every string of a JSON document, unescaped (the writer escapes '+', so the raw text alone proves little).</summary>
    private static string JsonStrings(string json)
    {
        var all = new StringBuilder();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        all.Append(p.Name).Append('\n');
                        Walk(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case JsonValueKind.String:
                    all.Append(e.GetString()).Append('\n');
                    break;
            }
        }

        using var doc = JsonDocument.Parse(json);
        Walk(doc.RootElement);
        return all.ToString();
    }
}

/// <summary>A planted secret as the publish scan must report it.</summary>
/// <param name="Code">The rule.</param>
/// <param name="PublishedPath">Relative to the publish folder, as the message and SARIF name it.</param>
/// <param name="Line">1-based, 0 for a finding about a whole file (a .pfx) or an assembly.</param>
/// <param name="ReportedFile">Where MSBuild shows the warning: the file it was published from, else the published file.</param>
/// <param name="SarifUri">artifactLocation.uri under %SRCROOT% (the repository).</param>
/// <param name="SeenByAnalyzer">An item of the app project itself (or NuGet content it copies), so the analyzer sees it too.</param>
internal sealed record PlantedSecret(string Code, string PublishedPath, int Line, string ReportedFile, string SarifUri, bool SeenByAnalyzer);

/// <summary>
/// workspace/NuGet.config (the test feed, a local feed, a private global packages folder), workspace/feed with the
/// Planted.Content package, and the repository workspace/repo (.git) with the app (Web SDK + ContainerSdk as an MSBuild
/// SDK) and the library it references. Every secret is random, in its real format, made now.
/// </summary>
internal sealed class PlantedSolution
{
    // Provider prefixes joined at run time, as in the corpus: this file holds nothing a scanner takes for a secret.
    private static readonly string Begin = "-----" + "BEGIN ";

    private readonly List<PlantedSecret> planted = [];
    private readonly List<string> secrets = [];

    private PlantedSolution(string workspace, int seed)
    {
        Workspace = workspace;
        Seed = seed;
        RepoRoot = Path.Combine(workspace, "repo");
        AppDirectory = Path.Combine(RepoRoot, "app");
        AppProject = Path.Combine(AppDirectory, "app.csproj");
        ProgramFile = Path.Combine(AppDirectory, "Program.cs");
        PublishDirectory = Path.Combine(AppDirectory, "bin", "Release", "net10.0", "publish");
        SarifPath = Path.Combine(AppDirectory, "obj", "Release", "net10.0", "containersdk-secrets.sarif");
    }

    public string Workspace { get; }

    public int Seed { get; }

    public string RepoRoot { get; }

    public string AppDirectory { get; }

    public string AppProject { get; }

    public string ProgramFile { get; }

    public string PublishDirectory { get; }

    public string SarifPath { get; }

    public IReadOnlyList<PlantedSecret> Planted => planted;

    /// <summary>Every planted secret value (for a private key: each line of its body).</summary>
    public IReadOnlyList<string> Secrets => secrets;

    /// <summary>Files holding only look-alikes, relative to the app folder.</summary>
    public IReadOnlyList<string> LookAlikeFiles { get; } = ["appsettings.json", ".env.example", "certs/ca.crt", "certs/public.pem"];

    public int ConstantLine { get; private set; }

    public int ConstantColumn { get; private set; }

    public DotnetResult Build { get; private set; } = null!;

    public DotnetResult Publish { get; private set; } = null!;

    public DotnetResult PublishAsErrors { get; private set; } = null!;

    public string Sarif { get; private set; } = "";

    public string SarifAsErrors { get; private set; } = "";

    public string Context => $"seed {Seed}, workspace {Workspace}";

    public static PlantedSolution Create(PackageFixture package)
    {
        var workspace = package.NewWorkspace("secrets");
        var seed = Random.Shared.Next();
        var s = new PlantedSolution(workspace, seed);
        var r = new CorpusRandom(seed);
        Directory.CreateDirectory(Path.Combine(s.RepoRoot, ".git"));
        File.WriteAllText(Path.Combine(workspace, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(workspace, "packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="containersdk-test" value="{package.Feed}" />
                <add key="planted" value="{Path.Combine(workspace, "feed")}" />
              </packageSources>
            </configuration>
            """);

        s.PlantContentPackage(r);
        s.PlantLibrary(r);
        s.PlantApp(package, r);

        // Build and publish apart: the analyzer speaks in the build log, the publish-time scan in the publish log.
        s.Build = Dotnet.Run(s.AppDirectory, "build", s.AppProject, "-c", "Release");
        s.Build.ShouldSucceed();
        s.Publish = Dotnet.Run(s.AppDirectory, "publish", s.AppProject, "--no-build");
        s.Sarif = File.Exists(s.SarifPath) ? File.ReadAllText(s.SarifPath) : throw new FileNotFoundException("no SARIF report\n" + s.Publish.Output, s.SarifPath);
        s.PublishAsErrors = Dotnet.Run(s.AppDirectory, "publish", s.AppProject, "--no-build", "-p:ContainerSecretsAsErrors=true");
        s.SarifAsErrors = File.ReadAllText(s.SarifPath);
        return s;
    }

    /// <summary>Planted.Content: a contentFiles/any/any/config.json copied to the output of whoever references it.</summary>
    private void PlantContentPackage(CorpusRandom r)
    {
        var dir = Path.Combine(Workspace, "content-package");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Planted.Content.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>Planted.Content</PackageId>
                <Version>1.0.0</Version>
                <IncludeBuildOutput>false</IncludeBuildOutput>
                <NoWarn>$(NoWarn);NU5128</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <Content Include="config.json" Pack="true" PackagePath="contentFiles/any/any/" BuildAction="None" PackageCopyToOutput="true" />
              </ItemGroup>
            </Project>
            """);
        var hf = Secret("h" + "f_" + r.Letters(34));
        var text = $"{{\n  \"Model\": {{\n    \"Repository\": \"contoso/{r.LowerDigits(8)}\",\n    \"HubToken\": \"{hf}\"\n  }}\n}}\n";
        File.WriteAllText(Path.Combine(dir, "config.json"), text);
        Dotnet.Run(dir, "pack", Path.Combine(dir, "Planted.Content.csproj"), "-o", Path.Combine(Workspace, "feed")).ShouldSucceed();

        // Restored from the package into the private global packages folder, copied to the output and published.
        var restored = Path.Combine(Workspace, "packages", "planted.content", "1.0.0", "contentFiles", "any", "any", "config.json");
        planted.Add(new PlantedSecret("CSDK3212", "config.json", LineOf(text, hf), restored, "app/bin/Release/net10.0/publish/config.json", SeenByAnalyzer: true));
    }

    /// <summary>A class library without ContainerSdk whose content file reaches the app's publish folder.</summary>
    private void PlantLibrary(CorpusRandom r)
    {
        var dir = Path.Combine(RepoRoot, "lib");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Lib.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <Content Include="deploy-notes.txt" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Greeting.cs"), "namespace Lib;\n\npublic static class Greeting\n{\n    public static string Text => \"hello\";\n}\n");
        var gh = Secret("g" + "hp_" + r.Alnum(36));
        var text = $"Deploy notes\n\nThe release job pushes with {gh} until CI has its own token.\n";
        File.WriteAllText(Path.Combine(dir, "deploy-notes.txt"), text);
        planted.Add(new PlantedSecret("CSDK3203", "deploy-notes.txt", LineOf(text, gh), Path.Combine(dir, "deploy-notes.txt"), "lib/deploy-notes.txt", SeenByAnalyzer: false));
    }

    private void PlantApp(PackageFixture package, CorpusRandom r)
    {
        var project = TestProject.Create(package, Workspace, "app", ReferenceMode.Sdk, subfolder: "repo", items: """
            <ProjectReference Include="../lib/Lib.csproj" />
            <PackageReference Include="Planted.Content" Version="1.0.0" />
            <Content Include=".env;.env.example;.npmrc;kubeconfig;certs/**;deploy/**" CopyToPublishDirectory="PreserveNewest" />
            """);
        project.Directory.ShouldBe(AppDirectory);
        var host = r.LowerDigits(8);

        // A C# constant: the analyzer sees the literal, the publish scan the #US heap of app.dll. Two look-alikes.
        var stripe = Secret("s" + "k_live_" + r.Alnum(32));
        var program =
            "var app = WebApplication.CreateBuilder(args).Build();\n" +
            "app.MapGet(\"/\", () => Lib.Greeting.Text);\n" +
            "app.MapGet(\"/billing\", () => Billing.StripeKey.Length + Billing.PemHeader.Length + Billing.DocumentedKey.Length);\n" +
            "app.Run();\n\n" +
            "internal static class Billing\n{\n" +
            $"    public const string StripeKey = \"{stripe}\";\n" +
            $"    public const string PemHeader = \"{Begin}PRIVATE KEY-----\";\n" +
            "    public const string DocumentedKey = \"" + "AK" + "IA" + "IOSFODNN7" + "EXAMPLE\";\n" +
            "}\n";
        File.WriteAllText(ProgramFile, program);
        ConstantLine = LineOf(program, stripe);
        ConstantColumn = program.Split('\n')[ConstantLine - 1].IndexOf('"') + 1;
        planted.Add(new PlantedSecret("CSDK3206", "app.dll", 0, Path.Combine(PublishDirectory, "app.dll"), "app/bin/Release/net10.0/publish/app.dll", SeenByAnalyzer: false));

        // .env with a real value, and its template.
        var session = Secret(r.Alnum(24));
        Plant(".env", $"# local settings\nSESSION_SECRET={session}\nLOG_LEVEL=debug\n", ("CSDK3101", session), ("CSDK3401", session));
        Write(".env.example", "SESSION_SECRET=\nAPI_KEY=<your-api-key>\n");

        // A real PKCS#12 file, a real PEM private key; a certificate and a public key as look-alikes.
        using var certificateKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=planted.invalid", certificateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Directory.CreateDirectory(Path.Combine(AppDirectory, "certs"));
        File.WriteAllBytes(Path.Combine(AppDirectory, "certs", "aspnetapp.pfx"), certificate.Export(X509ContentType.Pfx, r.Password(16)));
        planted.Add(AppFile("CSDK3102", "certs/aspnetapp.pfx", 0));
        using var tlsKey = RSA.Create(2048);
        var pem = tlsKey.ExportPkcs8PrivateKeyPem();
        foreach (var line in pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Secret(line);
        }

        Plant("certs/tls.key", pem + "\n", ("CSDK3103", Begin));
        Write("certs/ca.crt", certificate.ExportCertificatePem() + "\n");
        Write("certs/public.pem", tlsKey.ExportSubjectPublicKeyInfoPem() + "\n");

        // appsettings.Production.json (the Web SDK publishes every *.json): a password connection string, a URI with
        // credentials and a high-entropy ApiKey; appsettings.json holds the look-alikes only.
        var dbPassword = Secret(r.Password(18).Replace(";", "").Replace("=", ""));
        var mongoPassword = Secret(r.Alnum(22));
        var apiKey = Secret(r.Alnum(40));
        Plant("appsettings.Production.json",
            "{\n  \"ConnectionStrings\": {\n" +
            $"    \"Default\": \"Server=tcp:{host}.database.windows.net,1433;Initial Catalog=app;User ID=app;Password={dbPassword};Encrypt=True;\",\n" +
            $"    \"Events\": \"mongodb+srv://app:{mongoPassword}@cluster0.{r.LowerDigits(5)}.mongodb.net/events?retryWrites=true\"\n" +
            "  },\n  \"Payments\": {\n" +
            "    \"Endpoint\": \"https://payments.example.invalid\",\n" +
            $"    \"ApiKey\": \"{apiKey}\"\n" +
            "  }\n}\n",
            ("CSDK3301", dbPassword), ("CSDK3302", mongoPassword), ("CSDK3401", apiKey));
        Write("appsettings.json",
            "{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } },\n  \"AllowedHosts\": \"*\",\n" +
            "  \"ConnectionStrings\": {\n" +
            $"    \"Default\": \"Server={host};Database=app;Integrated Security=true;TrustServerCertificate=true\",\n" +
            $"    \"Reporting\": \"Host={host};Database=reports;Username=app;Password=${{DB_PASSWORD}}\"\n" +
            "  },\n" +
            "  \"Identity\": { \"PasswordFormat\": \"Hashed\", \"RequiredPasswordLength\": 12, \"TokenEndpoint\": \"https://login.example.invalid/token\" },\n" +
            "  \"Keys\": {\n" +
            "    \"ApiKey\": \"<your-key>\",\n" +
            "    \"ClientSecret\": \"changeme\",\n" +
            "    \"AccessKeyId\": \"" + "AK" + "IA" + "IOSFODNN7" + "EXAMPLE\",\n" +
            "    \"SigningKeyRef\": \"@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/signing)\"\n" +
            "  },\n" +
            $"  \"Partner\": {{ \"ApiKey\": \"{r.Uuid()}\" }},\n" +
            $"  \"Assets\": {{ \"integrity\": \"sha384-{r.Bytes64(48)}\" }}\n" +
            "}\n");

        // A project-level nuget.config (the Web SDK publishes every *.config) with a feed password.
        var pat = Secret(r.LowerDigits(52));
        Plant("nuget.config",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSourceCredentials>\n    <internal>\n" +
            "      <add key=\"Username\" value=\"build\" />\n" +
            $"      <add key=\"ClearTextPassword\" value=\"{pat}\" />\n" +
            "    </internal>\n  </packageSourceCredentials>\n</configuration>\n",
            ("CSDK3106", pat));

        // Package manager credentials, a kubeconfig, a user secrets file.
        var npmToken = Secret("np" + "m_" + r.Alnum(36));
        var npmPassword = Secret(Convert.ToBase64String(Encoding.UTF8.GetBytes(r.Alnum(18))));
        Plant(".npmrc", $"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={npmToken}\n//npm.example.invalid/:_password={npmPassword}\n",
            ("CSDK3213", npmToken), ("CSDK3105", npmPassword));
        var kubeToken = Secret(r.Base64Url(64));
        Plant("kubeconfig",
            "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n  name: prod\n" +
            "contexts:\n- context:\n    cluster: prod\n    user: admin\n  name: prod\ncurrent-context: prod\n" +
            $"users:\n- name: admin\n  user:\n    token: {kubeToken}\n",
            ("CSDK3104", kubeToken));
        var webhookKey = Secret(r.Alnum(32));
        Plant("secrets.json", $"{{\n  \"Payments:WebhookKey\": \"{webhookKey}\"\n}}\n", ("CSDK3107", "Payments:WebhookKey"), ("CSDK3401", webhookKey));

        // Provider tokens of every other kind, one a line, under names that are not secret-named.
        var gitlab = Secret("gl" + "pat-" + r.Base64Url(20));
        var slack = Secret("https://hooks.slack.com/services/T" + r.UpperDigits(8) + "/B" + r.UpperDigits(10) + "/" + r.Alnum(24));
        var google = Secret("AI" + "za" + r.Base64Url(35));
        var openAi = Secret("s" + "k-proj-" + r.Base64Url(74) + "T3Blbk" + "FJ" + r.Base64Url(74));
        var nuget = Secret("oy" + "2" + r.LowerDigits(43));
        var jwt = Secret(Jwt(r));
        var awsId = Secret("AK" + "IA" + r.UpperDigits(16));
        var awsSecret = Secret(r.Base64(40));
        var accountKey = Secret(r.Bytes64(64));
        var sas = Secret(Uri.EscapeDataString(r.Bytes64(32)));
        Plant("deploy/integrations.yaml",
            "# integrations of the staging environment\n" +
            $"gitlab: {gitlab}\n" +
            $"alerts: {slack}\n" +
            $"maps: {google}\n" +
            $"assistant: {openAi}\n" +
            $"feed_push: {nuget}\n" +
            $"service_identity: {jwt}\n" +
            $"aws_access_key_id: {awsId}\n" +
            $"aws_secret_access_key: {awsSecret}\n" +
            $"blobs: DefaultEndpointsProtocol=https;AccountName={r.LowerDigits(10)};AccountKey={accountKey};EndpointSuffix=core.windows.net\n" +
            $"model_url: https://{r.LowerDigits(10)}.blob.core.windows.net/models/model.onnx?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig={sas}\n",
            ("CSDK3204", gitlab), ("CSDK3205", slack), ("CSDK3207", google), ("CSDK3211", openAi), ("CSDK3214", nuget), ("CSDK3210", jwt),
            ("CSDK3201", awsId), ("CSDK3202", awsSecret), ("CSDK3208", accountKey), ("CSDK3209", sas));
    }

    private string Secret(string value)
    {
        secrets.Add(value);
        return value;
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(AppDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Writes an app file and expects each (rule, needle) at the needle's line.</summary>
    private void Plant(string relative, string text, params (string Code, string Needle)[] expected)
    {
        Write(relative, text);
        foreach (var (code, needle) in expected)
        {
            planted.Add(AppFile(code, relative, LineOf(text, needle)));
        }
    }

    private PlantedSecret AppFile(string code, string relative, int line) =>
        new(code, relative, line, Path.Combine(AppDirectory, relative), "app/" + relative, SeenByAnalyzer: true);

    private static int LineOf(string text, string needle)
    {
        var at = text.IndexOf(needle, StringComparison.Ordinal);
        return at < 0 ? throw new ArgumentException("needle not in text", nameof(needle)) : text.AsSpan(0, at).Count('\n') + 1;
    }

    private static string Jwt(CorpusRandom r)
    {
        static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        var payload = B64Url("{\"sub\":\"" + r.Uuid() + "\",\"iat\":" + r.Between(1600000000, 1800000000) + ",\"scope\":\"deploy\"}");
        return header + "." + payload + "." + r.Base64Url(43);
    }
}
