using ContainerSdk.Tests.SecretCorpus;

using ContainerSdk.Secrets;

namespace ContainerSdk.Analyzers.Tests;

public class AnalyzerTests
{
    private static readonly CorpusRandom R = new(11);

    private static string GitHubToken() => "gh" + "p_" + R.Alnum(36);

    [Fact]
    public async Task Token_in_a_constant_is_reported_on_the_literal()
    {
        var token = GitHubToken();
        var test = new AnalyzerTest
        {
            TestCode = $$"""
                class Settings
                {
                    public const string Token = {|#0:"{{token}}"|};
                    public string Name => "not a secret";
                }
                """,
        };
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("CSDK3203").WithLocation(0).WithArguments("GitHub token", "in a string literal that is compiled into the assembly", "ghp_…(40 chars)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Connection_string_and_private_key_literals_are_reported_including_raw_and_concatenated_strings()
    {
        var pw = R.Password(14).Replace(";", "").Replace("=", "").Replace("\"", "");
        var key = string.Join("\n", Enumerable.Range(0, 6).Select(_ => R.Bytes64(48)));
        var begin = "-----" + "BEGIN RSA PRIVATE KEY-----";
        var end = "-----" + "END RSA PRIVATE KEY-----";
        var test = new AnalyzerTest
        {
            TestCode = $$""""
                class Db
                {
                    const string Cs = {|#0:"Host=db;Database=app;" + "Username=app;Password={{pw}}"|};
                    const string Pem = {|#1:"""
                        {{begin}}
                        {{key.Replace("\n", "\n            ")}}
                        {{end}}
                        """|};
                    const string Safe = "Host=db;Database=app;Username=app;Password=${DB_PASSWORD}";
                    const string Trusted = "Server=.;Database=app;Integrated Security=true";
                }
                """",
        };
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("CSDK3301").WithLocation(0).WithArguments("Connection string with a password", "in a string literal that is compiled into the assembly", $"Password=…({pw.Length} chars)"));
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("CSDK3103").WithLocation(1).WithArguments("Private key", "in a string literal that is compiled into the assembly", $"{begin}…({key.Replace("\n", "").Length} base64 chars)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Look_alikes_comments_and_suppressed_literals_are_not_reported()
    {
        var token = GitHubToken();
        var test = new AnalyzerTest
        {
            TestCode = $$"""
                class Docs
                {
                    // An example: {{token}} (comments are not compiled into the assembly)
                    const string Example = "AKIA" + "IOSFODNN7EXAMPLE";
                    const string Placeholder = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
                    const string Format = "Server={0};Password={1}";
                    // containersdk:allow-secret
                    const string Allowed = "{{token}}";
                #pragma warning disable CSDK3203
                    const string Pragma = "{{token}}";
                #pragma warning restore CSDK3203
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Content_items_are_reported_at_their_file_and_line_and_other_additional_files_are_ignored()
    {
        var pw = R.Password(16).Replace(";", "").Replace("=", "").Replace("\"", "");
        var json = $$"""
            {
              "Logging": { "LogLevel": { "Default": "Information" } },
              "ConnectionStrings": {
                "Default": "Host=db;Database=app;Username=app;Password={{pw}}"
              }
            }
            """;
        var test = new AnalyzerTest { TestCode = "class C { }" }
            .WithContent("appsettings.Production.json", json)
            .WithContent("notcopied.json", json, role: "None");
        var column = json.Split('\n')[3].IndexOf(pw, StringComparison.Ordinal) + 1;
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("CSDK3301")
            .WithSpan("/0/appsettings.Production.json", 4, column, 4, column + pw.Length)
            .WithArguments("Connection string with a password", "in 'appsettings.Production.json', which is copied to the output", $"Password=…({pw.Length} chars)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task File_kinds_are_reported_for_env_and_pfx_items_and_a_baseline_accepts_known_findings()
    {
        var secret = R.Alnum(30);
        var accepted = R.Alnum(30);
        var baseline = SecretBaseline.Format([("CSDK3401", SecretFingerprint.Compute(accepted), "config.yaml:2")]);
        var test = new AnalyzerTest { TestCode = "class C { }" }
            .WithContent(".env", $"# local\nAPI_SECRET={secret}\n")
            .WithContent("cert.pfx", "")
            .WithContent("config.yaml", $"service:\n  api_key: {accepted}\n")
            .WithContent("ContainerSecrets.baseline", baseline, role: "Baseline");
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("CSDK3101").WithSpan("/0/.env", 2, 1, 2, 1)
            .WithArguments(".env file", "in '.env', which is copied to the output", "API_SECRET=…(30 chars)"));
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("CSDK3401").WithSpan("/0/.env", 2, 12, 2, 42)
            .WithArguments("Secret-looking value under a secret-named key", "in '.env', which is copied to the output", "API_SECRET=…(30 chars)"));
        test.ExpectedDiagnostics.Add(AnalyzerTest.Diagnostic("CSDK3102").WithSpan("/0/cert.pfx", 1, 1, 1, 1)
            .WithArguments("PKCS#12 certificate with private key (.pfx/.p12)", "in 'cert.pfx', which is copied to the output", "by its file name"));
        await test.RunAsync();
    }
}
