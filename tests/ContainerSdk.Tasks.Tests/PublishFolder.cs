using System.Text;
using ContainerSdk.Tests.SecretCorpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

using ContainerSdk.Secrets;

namespace ContainerSdk.Tasks.Tests;

/// <summary>
/// A publish folder with planted secrets of every kind the scan must find, look-alikes it must not, a compiled
/// assembly with a secret constant, literal and embedded resource, and a large binary model file.
/// </summary>
internal sealed class PublishFolder : IDisposable
{
    private static readonly CorpusRandom R = new(42);

    public PublishFolder(long modelBytes = 300L << 20)
    {
        Root = Path.Combine(Path.GetTempPath(), "csdk-secrets-" + Guid.NewGuid().ToString("N"));
        Publish = Path.Combine(Root, "bin", "publish");
        Project = Path.Combine(Root, "src");
        Directory.CreateDirectory(Publish);
        Directory.CreateDirectory(Project);

        Password = R.Password(18).Replace(";", "").Replace("=", "").Replace("\"", "").Replace("\\", "");
        Write("appsettings.Production.json", "{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Warning\" } },\n  \"ConnectionStrings\": {\n    \"Default\": \"Host=db;Database=app;Username=app;Password=" + Password + "\"\n  }\n}\n", alsoInProject: true);
        Write("appsettings.json", "{\n  \"ConnectionStrings\": { \"Default\": \"Host=db;Database=app;Username=app;Password=${DB_PASSWORD}\" },\n  \"ApiKey\": \"<your-api-key>\",\n  \"InstanceId\": \"" + R.Uuid() + "\"\n}\n", alsoInProject: true);
        EnvSecret = R.Alnum(32);
        Write(".env", "# local only\nAPI_SECRET=" + EnvSecret + "\n");
        Write(".env.example", "API_SECRET=<set me>\n");
        GitLabToken = "gl" + "pat-" + R.Base64Url(20);
        Write(Path.Combine("contentFiles", "vendor", "settings.yaml"), "vendor:\n  url: https://vendor.invalid\n  token: " + GitLabToken + "\n");
        File.WriteAllBytes(Path.Combine(Publish, "aspnetapp.pfx"), R.RawBytes(2048));
        Write("wwwroot/js/site.js", "const key = 'theme'; fetch('/api/items', { headers: { Authorization: `Bearer ${token}` } });\n");

        // A model file: random header, then sparse zeros; the scan must read only its first bytes.
        using (var model = new FileStream(Path.Combine(Publish, "model.onnx"), FileMode.Create))
        {
            model.Write(R.RawBytes(4096));
            model.SetLength(modelBytes);
        }

        StripeKey = "s" + "k_live_" + R.Alnum(32);
        ConstantToken = "gh" + "p_" + R.Alnum(36);
        ResourceKey = "AK" + "IA" + R.UpperDigits(16);
        CompileAssembly(Path.Combine(Publish, "App.dll"));
    }

    public string Root { get; }

    public string Publish { get; }

    public string Project { get; }

    public string Password { get; }

    public string EnvSecret { get; }

    public string GitLabToken { get; }

    public string StripeKey { get; }

    public string ConstantToken { get; }

    public string ResourceKey { get; }

    /// <summary>Every planted secret value: none of them may appear in a log or report.</summary>
    public IEnumerable<string> Secrets => [Password, EnvSecret, GitLabToken, StripeKey, ConstantToken, ResourceKey];

    private void Write(string relative, string text, bool alsoInProject = false)
    {
        var path = Path.Combine(Publish, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (alsoInProject)
        {
            File.WriteAllText(Path.Combine(Project, relative), text);
        }
    }

    /// <summary>An assembly as a customer's build makes it: an unused const (Constant table), a used literal (#US), a resource.</summary>
    private void CompileAssembly(string path)
    {
        var source = $$"""
            public static class Integrations
            {
                public const string UnusedToken = "{{ConstantToken}}";
                public static string Charge() => "{{StripeKey}}";
            }
            """;
        var compilation = CSharpCompilation.Create(
            "App",
            [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var resource = Encoding.UTF8.GetBytes("{ \"aws_access_key_id\": \"" + ResourceKey + "\" }\n");
        using var stream = File.Create(path);
        var result = compilation.Emit(stream, manifestResources: [new ResourceDescription("App.settings.json", () => new MemoryStream(resource), isPublic: true)]);
        result.Success.ShouldBeTrue(string.Join("\n", result.Diagnostics));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
