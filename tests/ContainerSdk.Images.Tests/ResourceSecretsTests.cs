using System.Resources;
using System.Text;
using ContainerSdk.Tests.SecretCorpus;
using ContainerSdk.Tasks;
using ContainerSdk.Images.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Tests;

/// <summary>Secrets in compiled .resx files (.resources streams) of assemblies and satellite assemblies.</summary>
public class ResourceSecretsTests
{
    private static readonly CorpusRandom R = new(1414);

    internal static byte[] Resources(Action<ResourceWriter> fill)
    {
        using var stream = new MemoryStream();
        using (var writer = new ResourceWriter(stream))
        {
            fill(writer);
            writer.Generate();
        }

        return stream.ToArray();
    }

    internal static byte[] Assembly(string name, params (string Name, byte[] Bytes)[] resources)
    {
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText("public static class Marker { }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream, manifestResources: resources.Select(r => new ResourceDescription(r.Name, () => new MemoryStream(r.Bytes), isPublic: true)));
        result.Success.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    }

    [Fact]
    public void The_reader_lists_string_and_byte_entries_and_skips_everything_else()
    {
        var bytes = Resources(w =>
        {
            w.AddResource("Greeting", "Hello, world");
            w.AddResource("Notes", Encoding.UTF8.GetBytes("some file"));
            w.AddResource("Count", 42);
            w.AddResource("Empty", (string?)null);
        });

        var entries = ResourcesReader.Read(bytes);
        entries.Select(e => (e.Name, e.Text, e.Bytes is null ? null : Encoding.UTF8.GetString(e.Bytes)))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ShouldBe([("Greeting", "Hello, world", null), ("Notes", null, "some file")]);
    }

    [Fact]
    public void Malformed_streams_end_the_listing_without_throwing()
    {
        var bytes = Resources(w =>
        {
            for (var i = 0; i < 50; i++)
            {
                w.AddResource("Entry" + i, "value number " + i);
            }
        });

        for (var cut = 0; cut < bytes.Length; cut += 7)
        {
            Should.NotThrow(() => ResourcesReader.Read(bytes.AsSpan(0, cut).ToArray()));
        }

        var flipped = (byte[])bytes.Clone();
        for (var i = 8; i < flipped.Length; i += 13)
        {
            flipped[i] ^= 0xFF;
        }

        Should.NotThrow(() => ResourcesReader.Read(flipped));
        ResourcesReader.Read(Encoding.UTF8.GetBytes("not a resources stream at all")).ShouldBeEmpty();
    }

    [Fact]
    public void A_token_in_a_resx_of_an_assembly_or_a_satellite_assembly_is_found_and_named()
    {
        var token = "gh" + "p_" + R.Alnum(36);
        var password = R.Alnum(24);
        var strings = Resources(w =>
        {
            w.AddResource("Title", "Library");
            w.AddResource("GitHubToken", token);
            w.AddResource("DbPassword", password);
        });
        var satellite = Resources(w => w.AddResource("GitHubToken", token));

        var found = new List<PublishedSecret>();
        var skipped = new List<SkippedFile>();
        using (var lib = new MemoryStream(Assembly("Lib", ("Lib.Strings.resources", strings))))
        {
            SecretFileScanner.Scan(lib, "Lib.dll", lib.Length, 1 << 20, found, skipped);
        }

        using (var de = new MemoryStream(Assembly("Lib.resources", ("Lib.Strings.de.resources", satellite))))
        {
            SecretFileScanner.Scan(de, "de/Lib.resources.dll", de.Length, 1 << 20, found, skipped);
        }

        found.Select(f => (f.RelativePath, f.Match.Rule.Id, f.Member)).OrderBy(f => f.RelativePath, StringComparer.Ordinal).ThenBy(f => f.Id, StringComparer.Ordinal).ShouldBe(
        [
            ("Lib.dll", "CSDK3203", "resource 'GitHubToken' in 'Lib.Strings.resources'"),
            ("Lib.dll", "CSDK3401", "resource 'DbPassword' in 'Lib.Strings.resources'"),
            ("de/Lib.resources.dll", "CSDK3203", "resource 'GitHubToken' in 'Lib.Strings.de.resources'"),
        ]);
        found.ShouldAllBe(f => !f.Match.ToString().Contains(token) && !f.Match.ToString().Contains(password));
    }

    [Fact]
    public void Localized_prose_under_secret_looking_names_is_not_a_secret()
    {
        // Found in the SDK's own satellite assemblies: resource names say "Password", their values are messages.
        var strings = Resources(w =>
        {
            w.AddResource("CredentialsItemMustHaveUsernamePassword", "資格情報項目には、ユーザー名とパスワードが必要です:{0}");
            w.AddResource("InvalidPasswordFormat", "Das Kennwort für '{0}' hat ein ungültiges Format.");
            w.AddResource("TokenExpired", "The token has expired; sign in again.");
        });
        var found = new List<PublishedSecret>();
        using var lib = new MemoryStream(Assembly("NuGet.Configuration.resources", ("NuGet.Configuration.Resources.ja.resources", strings)));
        SecretFileScanner.Scan(lib, "ja/NuGet.Configuration.resources.dll", lib.Length, 1 << 20, found, []);
        found.ShouldBeEmpty(string.Join("\n", found.Select(f => f.Match + " " + f.Member)));
    }

    [Fact]
    public void A_file_linked_into_a_resx_is_scanned_as_a_file()
    {
        var key = "AKIA" + R.UpperDigits(16);
        var strings = Resources(w => w.AddResource("Deploy", Encoding.UTF8.GetBytes("aws_access_key_id = " + key + "\n")));
        var found = new List<PublishedSecret>();
        using var lib = new MemoryStream(Assembly("Lib", ("Lib.Files.resources", strings)));
        SecretFileScanner.Scan(lib, "Lib.dll", lib.Length, 1 << 20, found, []);
        found.Select(f => (f.Match.Rule.Id, f.Member)).ShouldContain(("CSDK3201", "resource 'Deploy' in 'Lib.Files.resources'"));
    }

    [Fact]
    public void Image_verification_reads_the_same_resources()
    {
        var token = "gh" + "p_" + R.Alnum(36);
        var strings = Resources(w => w.AddResource("GitHubToken", token));
        using var image = new TestImage();
        image.Layer().File("app/Lib.dll", Assembly("Lib", ("Lib.Strings.resources", strings)));
        var options = new ImageVerificationOptions { CheckUser = false, CheckEntrypoint = false };
        var result = ImageVerifier.Verify(image.Save(ImageFormat.OciArchive), options);
        var finding = result.Findings.Single(f => f.Path == "/app/Lib.dll");
        finding.RuleId.ShouldBe("CSDK3203");
        finding.Message.ShouldContain("resource 'GitHubToken' in 'Lib.Strings.resources'");
        finding.Message.ShouldNotContain(token);
    }
}
