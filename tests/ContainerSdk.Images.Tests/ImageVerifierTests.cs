using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContainerSdk.Tests.SecretCorpus;
using ContainerSdk.Images.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

using ContainerSdk.Secrets;

namespace ContainerSdk.Images.Tests;

/// <summary>
/// Post-build image verification on synthetic image archives written here with System.Formats.Tar: oci-archive,
/// docker-archive (old and docker 25 style) and OCI layout folders, gzip and plain layers, whiteouts.
/// </summary>
public class ImageVerifierTests
{
    private static readonly string Begin = "-----" + "BEGIN ";
    private static readonly string End = "-----" + "END ";

    public static TheoryData<ImageFormat, LayerCompression> Formats => new()
    {
        { ImageFormat.OciArchive, LayerCompression.Gzip },
        { ImageFormat.OciArchive, LayerCompression.None },
        { ImageFormat.DockerArchive, LayerCompression.None },
        { ImageFormat.Docker25Archive, LayerCompression.None },
        { ImageFormat.OciLayout, LayerCompression.Gzip },
    };

    private static ImageVerificationResult Verify(string path, Action<ImageVerificationOptions>? configure = null)
    {
        var options = new ImageVerificationOptions();
        configure?.Invoke(options);
        return ImageVerifier.Verify(path, options);
    }

    private static TestImage BaseImage(LayerCompression compression = LayerCompression.Gzip)
    {
        var image = new TestImage();
        image.Layer(compression)
            .Directory("etc")
            .File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654::/home/app:/usr/sbin/nologin\nadmin:x:0:0::/root:/bin/sh\n")
            .File("etc/group", "root:x:0:\napp:x:1654:\n")
            .File("usr/share/doc/base-files/copyright", "This is the base system. The password for the test account is documented elsewhere.\n")
            .Symlink("bin", "usr/bin")
            .CharacterDevice("dev/null", 1, 3);
        return image;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_numeric_non_root_user_with_an_entrypoint_passes(ImageFormat format, LayerCompression compression)
    {
        using var image = BaseImage(compression);
        image.Layer(compression).File("app/App.dll.config", "<configuration />\n").File("app/appsettings.json", "{ \"Logging\": { \"LogLevel\": { \"Default\": \"Warning\" } } }\n");
        var result = Verify(image.Save(format));

        result.Findings.ShouldBeEmpty(string.Join("\n", result.Findings));
        result.User.ShouldBe("1654:1654");
        result.ResolvedUid.ShouldBe("1654");
        result.Entrypoint.ShouldBe(["dotnet", "/app/App.dll"]);
        result.LayerCount.ShouldBe(2);
        result.LayerDigests.ShouldBe(format is ImageFormat.DockerArchive ? image.DiffIds : image.Digests);
        result.FilesScanned.ShouldBe(5);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("root")]
    [InlineData("0")]
    [InlineData("0:0")]
    [InlineData("000:1654")]
    [InlineData("root:app")]
    public void A_root_user_is_CSDK5010(string? user)
    {
        using var image = BaseImage();
        image.User = user;
        var result = Verify(image.Save(ImageFormat.OciArchive));

        var finding = result.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("CSDK5010");
        finding.LayerIndex.ShouldBe(-1);
        finding.Path.ShouldBe("config:User");
        finding.Message.ShouldStartWith("CSDK5010: ");
        finding.Message.ShouldContain("USER 1654:1654");
        result.ResolvedUid.ShouldBe("0");
    }

    [Fact]
    public void A_name_that_the_image_passwd_maps_to_uid_0_is_CSDK5010()
    {
        using var image = BaseImage();
        image.User = "admin";
        image.Layer().File("app/readme.txt", "hello\n");
        var result = Verify(image.Save(ImageFormat.DockerArchive));

        var finding = result.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("CSDK5010");
        finding.LayerIndex.ShouldBe(0);
        finding.Path.ShouldBe("/etc/passwd");
        finding.LayerDigest.ShouldBe(result.LayerDigests[0]);
        finding.Message.ShouldContain("'admin'");
        finding.Message.ShouldContain("uid 0");
        result.ResolvedUid.ShouldBe("0");
    }

    [Theory]
    [InlineData("app:app")]
    [InlineData("app")]
    [InlineData("1654:root")]
    public void A_name_that_the_image_passwd_defines_as_non_root_passes(string user)
    {
        using var image = BaseImage();
        image.User = user;
        var result = Verify(image.Save(ImageFormat.OciArchive), o => o.CheckSecrets = false);

        result.Findings.ShouldBeEmpty(string.Join("\n", result.Findings));
        result.ResolvedUid.ShouldBe("1654");
        result.FilesScanned.ShouldBe(0);
    }

    [Theory]
    [InlineData("nobody", null)]
    [InlineData("1654:nogroup", null)]
    [InlineData("app", "deleted")]
    [InlineData("app", "opaque")]
    [InlineData("app", "replaced")]
    public void A_name_the_merged_passwd_does_not_define_is_CSDK5011(string user, string? upper)
    {
        using var image = BaseImage();
        image.User = user;
        var layer = image.Layer();
        switch (upper)
        {
            case "deleted":
                layer.Whiteout("etc/passwd");
                break;
            case "opaque":
                layer.Opaque("etc").File("etc/hostname", "box\n");
                break;
            case "replaced":
                layer.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
                break;
        }

        var result = Verify(image.Save(ImageFormat.OciArchive));

        var finding = result.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("CSDK5011");
        finding.Message.ShouldStartWith("CSDK5011: ");
        finding.Message.ShouldContain("numeric uid:gid");
        if (upper is "deleted" or "opaque")
        {
            finding.Message.ShouldContain("no /etc/passwd");
        }
        else if (upper == "replaced")
        {
            finding.Message.ShouldContain("from layer 1");
        }
    }

    [Fact]
    public void Neither_entrypoint_nor_cmd_is_CSDK5012_and_a_cmd_alone_is_enough()
    {
        using var image = BaseImage();
        image.Entrypoint = null;
        var finding = Verify(image.Save(ImageFormat.OciArchive)).Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("CSDK5012");
        finding.Message.ShouldStartWith("CSDK5012: ");

        using var withCmd = BaseImage();
        withCmd.Entrypoint = null;
        withCmd.Cmd = ["/app/App"];
        Verify(withCmd.Save(ImageFormat.DockerArchive)).Findings.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Secrets_in_a_layer_are_found_even_when_a_later_layer_deletes_them_and_never_shown(ImageFormat format, LayerCompression compression)
    {
        var r = new CorpusRandom(11);
        var envSecret = r.Alnum(32);
        var keyBody = r.Bytes64(900);
        var awsKey = "AK" + "IA" + r.UpperDigits(16);
        var kept = "gh" + "p_" + r.Alnum(36);
        using var image = BaseImage(compression);
        image.Layer(compression)
            .File("app/.env", "# local\nAPI_SECRET=" + envSecret + "\n")
            .File("app/certs/server.key", Pem("RSA PRIVATE KEY", keyBody))
            .File("app/config/aws.json", "{\n  \"aws_access_key_id\": \"" + awsKey + "\"\n}\n")
            .File("app/settings.yaml", "vendor:\n  token: " + kept + "\n");
        image.Layer(compression)
            .Whiteout("app/.env")
            .Whiteout("app/certs")
            .Opaque("app/config")
            .File("app/config/aws.json", "{ }\n");

        var result = Verify(image.Save(format));

        var findings = result.Findings.Where(f => f.Code == "CSDK5013").OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.RuleId, StringComparer.Ordinal).ToList();
        findings.Select(f => (f.Path, f.RuleId, f.DeletedInLaterLayer)).ShouldBe(
            [
                ("/app/.env", "CSDK3101", true),
                ("/app/.env", "CSDK3401", true),
                ("/app/certs/server.key", "CSDK3103", true),
                ("/app/config/aws.json", "CSDK3201", true),
                ("/app/settings.yaml", "CSDK3203", false),
            ],
            string.Join("\n", result.Findings));
        result.Findings.Count.ShouldBe(5);
        foreach (var f in findings)
        {
            f.LayerIndex.ShouldBe(1);
            f.LayerDigest.ShouldBe(result.LayerDigests[1]);
            f.Message.ShouldStartWith("CSDK5013: layer 1 (" + result.LayerDigests[1].Substring(0, 19) + "…)");
            f.Message.ShouldContain(f.RuleId!);
            f.Fingerprint.ShouldStartWith(SecretFingerprint.Prefix);
            if (f.DeletedInLaterLayer)
            {
                f.Message.ShouldContain("deleted by layer 2");
            }
            else
            {
                f.Message.ShouldNotContain("deleted by");
            }

            foreach (var secret in new[] { envSecret, keyBody.Substring(0, 64), awsKey, kept, awsKey.Substring(4), kept.Substring(4) })
            {
                f.Message.ShouldNotContain(secret);
                f.ToString().ShouldNotContain(secret);
            }
        }

        findings[0].Line.ShouldBe(2);
        findings[2].Line.ShouldBe(1);
        findings[4].Line.ShouldBe(2);
    }

    [Fact]
    public void A_file_replaced_by_a_later_layer_is_still_reported_as_replaced()
    {
        var r = new CorpusRandom(12);
        using var image = BaseImage();
        var password = r.Alnum(20);
        image.Layer().File("app/appsettings.json", "{ \"ConnectionStrings\": { \"Db\": \"Host=db;Username=app;Password=" + password + "\" } }\n");
        image.Layer().File("app/appsettings.json", "{ }\n");
        var finding = Verify(image.Save(ImageFormat.OciArchive)).Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("CSDK5013");
        finding.RuleId.ShouldBe("CSDK3301");
        finding.DeletedInLaterLayer.ShouldBeTrue();
        finding.Message.ShouldContain("replaced by layer 2");
        finding.Message.ShouldNotContain(password);
    }

    [Fact]
    public void A_whiteout_in_the_same_layer_does_not_delete_that_layers_own_file()
    {
        var r = new CorpusRandom(13);
        using var image = BaseImage();
        image.Layer().Opaque("app").File("app/.env", "API_SECRET=" + r.Alnum(30) + "\n");
        var findings = Verify(image.Save(ImageFormat.OciArchive)).Findings;
        findings.Select(f => f.RuleId).ShouldBe(["CSDK3101", "CSDK3401"]);
        findings.ShouldAllBe(f => !f.DeletedInLaterLayer && f.LayerIndex == 1);
    }

    [Fact]
    public void Certificates_public_keys_and_links_are_not_secrets()
    {
        var r = new CorpusRandom(14);
        using var image = BaseImage();
        image.Layer()
            .File("etc/ssl/certs/ca-certificates.crt", string.Concat(Enumerable.Range(0, 40).Select(_ => Pem("CERTIFICATE", r.Bytes64(900)))))
            .File("etc/ssl/certs/ssl-cert-snakeoil.pem", Pem("CERTIFICATE", r.Bytes64(700)))
            .File("usr/share/doc/openssl/README", "Put your key in /etc/ssl/private and keep it secret. " + Begin + "PRIVATE KEY-----\n...\n")
            .File("home/app/.ssh/id_ed25519.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + r.Base64(43) + " app@host\n")
            .File("etc/ssl/public.pem", Pem("PUBLIC KEY", r.Bytes64(300)))
            .Directory("etc/ssl/private")
            .Symlink("app/.env", "/run/secrets/env")
            .HardLink("app/passwd-copy", "etc/passwd")
            .File("app/.env.example", "API_SECRET=<set me>\n");
        var result = Verify(image.Save(ImageFormat.OciArchive));
        result.Findings.ShouldBeEmpty(string.Join("\n", result.Findings));
    }

    [Fact]
    public void A_zstd_layer_is_CSDK5014()
    {
        using var image = BaseImage();
        image.Layer(LayerCompression.Zstd).File("app/a.txt", "a\n");
        var e = Should.Throw<ImageArchiveException>(() => Verify(image.Save(ImageFormat.OciArchive)));
        e.Code.ShouldBe("CSDK5014");
        e.Message.ShouldStartWith("CSDK5014: ");
        e.Message.ShouldContain("zstd");
        e.Message.ShouldContain("layer 1");
    }

    [Fact]
    public void Unreadable_archives_are_CSDK5014()
    {
        using var image = BaseImage();
        var dir = image.Scratch("junk");
        var junk = Path.Combine(dir, "junk.tar");
        File.WriteAllBytes(junk, new CorpusRandom(15).RawBytes(5000));
        Should.Throw<ImageArchiveException>(() => Verify(junk)).Message.ShouldStartWith("CSDK5014: ");
        Should.Throw<ImageArchiveException>(() => Verify(Path.Combine(dir, "missing.tar"))).Code.ShouldBe("CSDK5014");

        var gzipped = Path.Combine(dir, "image.tar.gz");
        using (var output = File.Create(gzipped))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        using (var input = File.OpenRead(image.Save(ImageFormat.DockerArchive)))
        {
            input.CopyTo(gzip);
        }

        Should.Throw<ImageArchiveException>(() => Verify(gzipped)).Message.ShouldContain("gzip-compressed");

        // A tar that is not an image, and an image whose layer blob is missing.
        var other = Path.Combine(dir, "other.tar");
        TarFile.CreateFromDirectory(image.Scratch("other-src"), other, includeBaseDirectory: true);
        Should.Throw<ImageArchiveException>(() => Verify(other)).Message.ShouldContain("index.json");

        var layout = image.Save(ImageFormat.OciLayout);
        File.Delete(Path.Combine(layout, "blobs", "sha256", image.Digests[0].Substring("sha256:".Length)));
        Should.Throw<ImageArchiveException>(() => Verify(layout)).Code.ShouldBe("CSDK5014");
    }

    [Fact]
    public void Large_binaries_cost_neither_memory_nor_the_files_after_them()
    {
        var r = new CorpusRandom(16);
        var token = "gh" + "p_" + r.Alnum(36);
        using var image = BaseImage();
        image.Layer()
            .File("app/model.onnx", r.RawBytes(4096), 50L << 20)
            .File("app/weights.bin", [0, 1, 2, 3], 20L << 20)
            .File("app/tool.exe", "MZ"u8.ToArray(), 70L << 20)
            .File("app/settings.yaml", "vendor:\n  token: " + token + "\n");
        image.Layer(LayerCompression.None)
            .File("app/model2.onnx", r.RawBytes(4096), 50L << 20)
            .File("app/more.yaml", "vendor:\n  token: " + token + "\n");
        var path = image.Save(ImageFormat.OciArchive);

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var result = Verify(path);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        (GC.GetTotalAllocatedBytes(precise: true) - allocated).ShouldBeLessThan(32L << 20);

        result.Findings.Select(f => f.Path).ShouldBe(["/app/settings.yaml", "/app/more.yaml"], string.Join("\n", result.Findings));
        result.BytesScanned.ShouldBeGreaterThan(190L << 20);
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.None)]
    public void Assemblies_and_long_text_files_in_layers_are_read_as_the_publish_scan_reads_them(LayerCompression compression)
    {
        var r = new CorpusRandom(17);
        var literal = "s" + "k_live_" + r.Alnum(32);
        var hidden = "gl" + "pat-" + r.Base64Url(20);
        using var image = BaseImage();
        var longText = new StringBuilder();
        for (var i = 0; i < 40000; i++)
        {
            longText.Append("line ").Append(i).Append(": nothing to see here, just a long log of harmless text\n");
        }

        longText.Append("deploy:\n  token: ").Append(hidden).Append('\n');
        image.Layer(compression)
            .File("app/Small.dll", CompileAssembly("Small", literal, padding: 0))
            .File("app/Big.dll", CompileAssembly("Big", literal, padding: 3 << 20))
            .File("app/logs/big.yaml", longText.ToString());

        var result = Verify(image.Save(ImageFormat.OciArchive));

        var found = result.Findings.Select(f => (f.Path, f.RuleId)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        found.ShouldBe([("/app/Big.dll", "CSDK3206"), ("/app/Small.dll", "CSDK3206"), ("/app/logs/big.yaml", "CSDK3204")], string.Join("\n", result.Findings));
        result.Findings.Single(f => f.Path == "/app/Big.dll").Message.ShouldContain("a string constant");
        result.Findings.Single(f => f.Path == "/app/logs/big.yaml").Line.ShouldBe(40002);
        result.Findings.ShouldAllBe(f => !f.Message.Contains(literal) && !f.Message.Contains(hidden));
    }

    [Fact]
    public void Secrets_baked_into_the_config_Env_and_Labels_are_found()
    {
        var r = new CorpusRandom(18);
        var secretKey = r.Base64(40).Replace("+", "x").Replace("/", "y");
        var token = "gh" + "p_" + r.Alnum(36);
        using var image = BaseImage();
        image.Env.Add("AWS_SECRET_ACCESS_KEY=" + secretKey);
        image.Env.Add("ASPNETCORE_URLS=http://+:8080");
        image.Labels["org.opencontainers.image.source"] = "https://github.com/contoso/app";
        image.Labels["ci.token"] = token;
        var result = Verify(image.Save(ImageFormat.OciArchive));

        var env = result.Findings.Where(f => f.Path == "config:Env").ShouldHaveSingleItem();
        env.Code.ShouldBe("CSDK5013");
        env.LayerIndex.ShouldBe(-1);
        env.Line.ShouldBe(2);
        env.Message.ShouldStartWith("CSDK5013: the image config's Env (entry 2)");
        var label = result.Findings.Where(f => f.Path == "config:Labels").ShouldHaveSingleItem();
        label.RuleId.ShouldBe("CSDK3203");
        result.Findings.Count.ShouldBe(2, string.Join("\n", result.Findings));
        result.Findings.ShouldAllBe(f => !f.Message.Contains(secretKey) && !f.Message.Contains(token));
    }

    [Fact]
    public void The_baseline_and_disabled_rules_are_respected()
    {
        var r = new CorpusRandom(19);
        var envValue = r.Alnum(32);
        var token = "gh" + "p_" + r.Alnum(36);
        using var image = BaseImage();
        image.User = "0";
        image.Layer().File("app/.env", "API_SECRET=" + envValue + "\n").File("app/settings.yaml", "vendor:\n  token: " + token + "\n");
        var path = image.Save(ImageFormat.OciArchive);

        var all = Verify(path);
        all.Findings.Select(f => f.RuleId ?? f.Code).OrderBy(c => c).ShouldBe(["CSDK3101", "CSDK3203", "CSDK3401", "CSDK5010"]);

        // The fingerprint is the same one the publish scan writes for the same value.
        var publishScan = SecretScanner.Scan("vendor:\n  token: " + token + "\n", SecretSource.ForFile("settings.yaml")).ShouldHaveSingleItem();
        all.Findings.Single(f => f.RuleId == "CSDK3203").Fingerprint.ShouldBe(publishScan.Fingerprint);

        var baseline = SecretBaseline.Parse(SecretBaseline.Format([("CSDK3203", publishScan.Fingerprint, "app/settings.yaml")]), out var errors);
        errors.ShouldBeEmpty();
        var filtered = Verify(path, o =>
        {
            o.Baseline = baseline;
            o.DisabledRules = new HashSet<string>(["csdk3101", "CSDK3401", "CSDK5010"], StringComparer.OrdinalIgnoreCase);
        });
        filtered.Findings.ShouldBeEmpty(string.Join("\n", filtered.Findings));

        var noSecrets = Verify(path, o => o.CheckSecrets = false);
        noSecrets.Findings.ShouldHaveSingleItem().Code.ShouldBe("CSDK5010");
        noSecrets.FilesScanned.ShouldBe(0);
    }

    [Fact]
    public void A_multi_platform_index_picks_the_image_the_archive_holds()
    {
        using var image = BaseImage();
        image.ExtraIndexEntries = 2;
        var result = Verify(image.Save(ImageFormat.OciArchive));
        result.Findings.ShouldBeEmpty();
        result.LayerDigests.ShouldBe(image.Digests);
    }

    [Fact]
    public void A_docker_archive_whose_layers_are_links_is_read_through_them()
    {
        var r = new CorpusRandom(20);
        using var image = BaseImage(LayerCompression.None);
        image.LinkLayers = true;
        image.Layer(LayerCompression.None).File("app/settings.yaml", "vendor:\n  token: " + "gh" + "p_" + r.Alnum(36) + "\n");
        var path = image.Save(ImageFormat.DockerArchive);
        using (var reader = new TarReader(File.OpenRead(path)))
        {
            var links = 0;
            while (reader.GetNextEntry() is { } entry)
            {
                links += entry.EntryType == TarEntryType.SymbolicLink ? 1 : 0;
            }

            links.ShouldBe(2);
        }

        var result = Verify(path);
        result.ArchiveFormat.ShouldBe("docker-archive");
        result.FilesScanned.ShouldBe(4);
        result.Findings.ShouldHaveSingleItem().Path.ShouldBe("/app/settings.yaml");
    }

    private static string Pem(string label, string base64)
    {
        var text = new StringBuilder(Begin).Append(label).Append("-----\n");
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        return text.Append(End).Append(label).Append("-----\n").ToString();
    }

    /// <summary>An assembly with a secret literal; <paramref name="padding"/> bytes of embedded binary resource make it large.</summary>
    private static byte[] CompileAssembly(string name, string literal, int padding)
    {
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText("public static class Billing { public static string Key() => \"" + literal + "\"; }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var resources = padding == 0 ? null : new[] { new ResourceDescription("blob.bin", () => new MemoryStream(new CorpusRandom(padding).RawBytes(padding)), isPublic: true) };
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream, manifestResources: resources);
        result.Success.ShouldBeTrue(string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    }
}

public enum ImageFormat
{
    OciArchive,
    DockerArchive,
    Docker25Archive,
    OciLayout,
}

public enum LayerCompression
{
    Gzip,
    None,
    Zstd,
}

/// <summary>An image written as the tools write them: layer blobs, a config, a manifest, an index, then a tar.</summary>
internal sealed class TestImage : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "csdk-image-" + Guid.NewGuid().ToString("N"));
    private readonly List<TestLayer> layers = [];
    private int saves;

    public TestImage() => Directory.CreateDirectory(root);

    public string? User { get; set; } = "1654:1654";

    public string[]? Entrypoint { get; set; } = ["dotnet", "/app/App.dll"];

    public string[]? Cmd { get; set; }

    public List<string> Env { get; } = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    public Dictionary<string, string> Labels { get; } = [];

    /// <summary>docker-archive: each ID/layer.tar is a symbolic link to the layer stored elsewhere in the archive.</summary>
    public bool LinkLayers { get; set; }

    /// <summary>Index entries for other platforms whose blobs the archive does not hold (docker save of a multi-platform image).</summary>
    public int ExtraIndexEntries { get; set; }

    /// <summary>Layer blob digests (of the compressed blob) as the OCI manifest lists them, after <see cref="Save"/>.</summary>
    public List<string> Digests { get; } = [];

    /// <summary>Uncompressed layer digests (rootfs.diff_ids), after <see cref="Save"/>.</summary>
    public List<string> DiffIds { get; } = [];

    public TestLayer Layer(LayerCompression compression = LayerCompression.Gzip)
    {
        var layer = new TestLayer(compression);
        layers.Add(layer);
        return layer;
    }

    public string Scratch(string name)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string Save(ImageFormat format)
    {
        var dir = Scratch("save" + saves++);
        var blobs = Path.Combine(dir, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        Digests.Clear();
        DiffIds.Clear();
        var layerFiles = new List<string>();
        foreach (var layer in layers)
        {
            var (blob, digest, diffId) = layer.Write(blobs);
            layerFiles.Add(blob);
            Digests.Add(digest);
            DiffIds.Add(diffId);
        }

        var containerConfig = new Dictionary<string, object?>
        {
            ["User"] = User,
            ["Env"] = Env,
            ["Entrypoint"] = Entrypoint,
            ["Cmd"] = Cmd,
            ["WorkingDir"] = "/app",
            ["Labels"] = Labels.Count == 0 ? null : Labels,
        };
        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = containerConfig,
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = DiffIds },
        });
        var configDigest = WriteBlob(blobs, config);

        if (format == ImageFormat.DockerArchive)
        {
            // The classic docker save layout: HEX.json, HEX/layer.tar, manifest.json.
            var docker = Scratch("docker" + saves);
            File.WriteAllBytes(Path.Combine(docker, Hex(configDigest) + ".json"), config);
            var names = new List<string>();
            for (var i = 0; i < layerFiles.Count; i++)
            {
                var name = Hex(DiffIds[i]) + "/layer.tar";
                Directory.CreateDirectory(Path.Combine(docker, Hex(DiffIds[i])));
                if (LinkLayers)
                {
                    // As docker save links a layer that two images share: ID/layer.tar -> ../OTHER/layer.tar.
                    var store = "store-" + i;
                    Directory.CreateDirectory(Path.Combine(docker, store));
                    File.Copy(layerFiles[i], Path.Combine(docker, store, "layer.tar"));
                    File.CreateSymbolicLink(Path.Combine(docker, name), "../" + store + "/layer.tar");
                }
                else
                {
                    File.Copy(layerFiles[i], Path.Combine(docker, name));
                }

                names.Add(name);
            }

            WriteJson(Path.Combine(docker, "manifest.json"), new[] { new Dictionary<string, object> { ["Config"] = Hex(configDigest) + ".json", ["RepoTags"] = new[] { "localhost/test:latest" }, ["Layers"] = names } });
            return Tar(docker);
        }

        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new Dictionary<string, object> { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = config.Length },
            ["layers"] = layers.Select((l, i) => new Dictionary<string, object>
            {
                ["mediaType"] = l.Compression == LayerCompression.Gzip ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar",
                ["digest"] = Digests[i],
                ["size"] = new FileInfo(layerFiles[i]).Length,
            }).ToList(),
        });
        var manifestDigest = WriteBlob(blobs, manifest);
        var entries = new List<Dictionary<string, object>>();
        var r = new CorpusRandom(99);
        for (var i = 0; i < ExtraIndexEntries; i++)
        {
            entries.Add(new() { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = "sha256:" + r.Hex(64), ["size"] = 500, ["platform"] = new Dictionary<string, string> { ["os"] = "linux", ["architecture"] = i == 0 ? "amd64" : "arm64" } });
        }

        entries.Add(new() { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = manifestDigest, ["size"] = manifest.Length });
        WriteJson(Path.Combine(dir, "index.json"), new Dictionary<string, object> { ["schemaVersion"] = 2, ["manifests"] = entries });
        File.WriteAllText(Path.Combine(dir, "oci-layout"), "{\"imageLayoutVersion\": \"1.0.0\"}");
        if (format == ImageFormat.Docker25Archive)
        {
            WriteJson(Path.Combine(dir, "manifest.json"), new[] { new Dictionary<string, object> { ["Config"] = "blobs/sha256/" + Hex(configDigest), ["Layers"] = Digests.Select(d => "blobs/sha256/" + Hex(d)).ToList() } });
        }

        return format == ImageFormat.OciLayout ? dir : Tar(dir);
    }

    private string Tar(string dir)
    {
        var path = dir + ".tar";
        TarFile.CreateFromDirectory(dir, path, includeBaseDirectory: false);
        return path;
    }

    private static string WriteBlob(string blobs, byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        File.WriteAllBytes(Path.Combine(blobs, Hex(digest)), bytes);
        return digest;
    }

    private static void WriteJson(string path, object value) => File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(value));

    private static string Hex(string digest) => digest.Substring(digest.IndexOf(':') + 1);

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One layer's entries, written in order as a tar (gzip, plain, or a fake zstd blob).</summary>
internal sealed class TestLayer(LayerCompression compression)
{
    private readonly List<Func<TarEntry>> entries = [];

    public LayerCompression Compression => compression;

    public TestLayer File(string path, string text) => File(path, Encoding.UTF8.GetBytes(text));

    public TestLayer File(string path, byte[] bytes, long? length = null)
    {
        entries.Add(() => new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            DataStream = new PaddedStream(bytes, length ?? bytes.Length),
        });
        return this;
    }

    public TestLayer Directory(string path)
    {
        entries.Add(() => new PaxTarEntry(TarEntryType.Directory, path + "/"));
        return this;
    }

    public TestLayer Symlink(string path, string target)
    {
        entries.Add(() => new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target });
        return this;
    }

    public TestLayer HardLink(string path, string target)
    {
        entries.Add(() => new PaxTarEntry(TarEntryType.HardLink, path) { LinkName = target });
        return this;
    }

    public TestLayer CharacterDevice(string path, int major, int minor)
    {
        entries.Add(() => new PaxTarEntry(TarEntryType.CharacterDevice, path) { DeviceMajor = major, DeviceMinor = minor });
        return this;
    }

    public TestLayer Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return File(slash < 0 ? ".wh." + path : path.Substring(0, slash + 1) + ".wh." + path.Substring(slash + 1), []);
    }

    public TestLayer Opaque(string dir) => File(dir + "/.wh..wh..opq", []);

    /// <summary>Writes the blob under <paramref name="blobs"/>; returns its path, digest and uncompressed digest.</summary>
    public (string Path, string Digest, string DiffId) Write(string blobs)
    {
        var tar = System.IO.Path.Combine(blobs, "layer-" + Guid.NewGuid().ToString("N"));
        using (var output = new FileStream(tar, FileMode.CreateNew))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry());
            }
        }

        var diffId = Digest(tar);
        var blob = tar + ".blob";
        if (compression == LayerCompression.Gzip)
        {
            using var input = System.IO.File.OpenRead(tar);
            using var output = System.IO.File.Create(blob);
            using var gzip = new GZipStream(output, CompressionLevel.Fastest);
            input.CopyTo(gzip);
        }
        else if (compression == LayerCompression.Zstd)
        {
            var bytes = new CorpusRandom(7).RawBytes(4096);
            bytes[0] = 0x28;
            bytes[1] = 0xB5;
            bytes[2] = 0x2F;
            bytes[3] = 0xFD;
            System.IO.File.WriteAllBytes(blob, bytes);
        }
        else
        {
            System.IO.File.Copy(tar, blob);
        }

        System.IO.File.Delete(tar);
        var digest = Digest(blob);
        var final = System.IO.Path.Combine(blobs, digest.Substring("sha256:".Length));
        System.IO.File.Move(blob, final, overwrite: true);
        return (final, digest, diffId);
    }

    private static string Digest(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return "sha256:" + Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>The given bytes, then zeros up to <c>length</c>: a large file without the memory.</summary>
    private sealed class PaddedStream(byte[] head, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            if (n <= 0)
            {
                return 0;
            }

            for (var i = 0; i < n; i++)
            {
                var at = position + i;
                buffer[offset + i] = at < head.Length ? head[at] : (byte)0;
            }

            position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => position + offset,
                _ => length + offset,
            };
            return position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
