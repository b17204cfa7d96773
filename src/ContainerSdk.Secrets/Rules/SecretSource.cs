using System;
using System.IO;

namespace ContainerSdk.Secrets;

/// <summary>The syntax of a text, chosen from its file name; it decides which key=value shapes the key rule reads.</summary>
public enum SecretTextFormat
{
    Text,
    Json,
    Xml,
    Yaml,
    Env,
    Ini,
}

/// <summary>Where a text came from: a file (a project item or a published file), a C# literal, or an assembly's strings.</summary>
public enum SecretOrigin
{
    File,
    CSharpLiteral,
    AssemblyString,
}

/// <summary>Describes the text being scanned. Only the name is used, never the file system.</summary>
public readonly struct SecretSource
{
    public SecretSource(string path, SecretOrigin origin = SecretOrigin.File)
    {
        Path = path ?? "";
        Origin = origin;
        FileName = GetFileName(Path);
        Format = origin == SecretOrigin.File ? FormatOf(FileName) : SecretTextFormat.Text;
    }

    /// <summary>The path as the caller knows it (used for directory-sensitive names such as .kube/config).</summary>
    public string Path { get; }

    public string FileName { get; }

    public SecretOrigin Origin { get; }

    public SecretTextFormat Format { get; }

    public static SecretSource ForFile(string path) => new(path, SecretOrigin.File);

    public static SecretSource ForCSharpLiteral(string path) => new(path, SecretOrigin.CSharpLiteral);

    public static SecretSource ForAssembly(string path) => new(path, SecretOrigin.AssemblyString);

    private static string GetFileName(string path)
    {
        var i = path.LastIndexOfAny(['/', '\\']);
        return i < 0 ? path : path.Substring(i + 1);
    }

    public static SecretTextFormat FormatOf(string fileName)
    {
        var name = fileName.ToLowerInvariant();
        if (SecretFileNames.IsDotEnv(name) || name.EndsWith(".env", StringComparison.Ordinal))
        {
            return SecretTextFormat.Env;
        }

        var ext = System.IO.Path.GetExtension(name);
        switch (ext)
        {
            case ".json":
            case ".jsonc":
                return SecretTextFormat.Json;
            case ".xml":
            case ".config":
            case ".props":
            case ".targets":
            case ".csproj":
            case ".nuspec":
            case ".resx":
            case ".xaml":
            case ".pubxml":
                return SecretTextFormat.Xml;
            case ".yml":
            case ".yaml":
                return SecretTextFormat.Yaml;
            case ".ini":
            case ".cfg":
            case ".conf":
            case ".properties":
            case ".toml":
            case ".npmrc":
            case ".pypirc":
                return SecretTextFormat.Ini;
        }

        return name is "npmrc" or ".npmrc" or ".pypirc" or ".netrc" or "_netrc" ? SecretTextFormat.Ini
            : name is "kubeconfig" or "config" ? SecretTextFormat.Yaml
            : SecretTextFormat.Text;
    }

    public override string ToString() => $"{Origin}:{Path}";

    internal static bool IsUnder(string path, string directoryName)
    {
        var normalized = path.Replace('\\', '/');
        return normalized.IndexOf("/" + directoryName + "/", StringComparison.OrdinalIgnoreCase) >= 0
            || normalized.StartsWith(directoryName + "/", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>File names with a meaning of their own (no I/O: names only).</summary>
public static class SecretFileNames
{
    private static readonly string[] TemplateSuffixes =
        [".example", ".sample", ".template", ".tmpl", ".tpl", ".dist", ".defaults", ".default", ".schema", ".test.example"];

    /// <summary>.env, .env.local, .env.production, prod.env — not .env.example and other templates.</summary>
    public static bool IsDotEnv(string fileName)
    {
        var name = fileName.ToLowerInvariant();
        var isEnv = name == ".env" || name.StartsWith(".env.", StringComparison.Ordinal) || (name.EndsWith(".env", StringComparison.Ordinal) && name.Length > 4);
        if (!isEnv)
        {
            return false;
        }

        foreach (var suffix in TemplateSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) || name.IndexOf(suffix + ".", StringComparison.Ordinal) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsPkcs12(string fileName) =>
        fileName.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    /// <summary>ssh-keygen's default private key names (the .pub halves are public).</summary>
    public static bool IsSshPrivateKeyName(string fileName)
    {
        var name = fileName.ToLowerInvariant();
        return name is "id_rsa" or "id_dsa" or "id_ecdsa" or "id_ed25519" or "id_ecdsa_sk" or "id_ed25519_sk" or "identity";
    }

    public static bool IsUserSecrets(string fileName) => string.Equals(fileName, "secrets.json", StringComparison.OrdinalIgnoreCase);

    public static bool IsNpmrc(string fileName) => fileName.Equals(".npmrc", StringComparison.OrdinalIgnoreCase) || fileName.Equals("npmrc", StringComparison.OrdinalIgnoreCase);

    public static bool IsYarnrc(string fileName) => fileName.Equals(".yarnrc.yml", StringComparison.OrdinalIgnoreCase) || fileName.Equals(".yarnrc", StringComparison.OrdinalIgnoreCase);

    public static bool IsPypirc(string fileName) => fileName.Equals(".pypirc", StringComparison.OrdinalIgnoreCase);

    public static bool IsGitCredentials(string fileName) => fileName.Equals(".git-credentials", StringComparison.OrdinalIgnoreCase);

    public static bool IsNetrc(string fileName) => fileName.Equals(".netrc", StringComparison.OrdinalIgnoreCase) || fileName.Equals("_netrc", StringComparison.OrdinalIgnoreCase);

    public static bool IsDockerConfig(SecretSource source) =>
        source.FileName.Equals("config.json", StringComparison.OrdinalIgnoreCase) && SecretSource.IsUnder(source.Path, ".docker");

    public static bool IsKubeconfigName(SecretSource source)
    {
        var name = source.FileName.ToLowerInvariant();
        return name == "kubeconfig" || name.EndsWith(".kubeconfig", StringComparison.Ordinal)
            || (name == "config" && SecretSource.IsUnder(source.Path, ".kube"));
    }

    /// <summary>
    /// Whether a project item is worth handing to the analyzer (an AdditionalFile): text, or a binary whose name alone
    /// is a finding (.pfx, .p12). Other binaries the IDE would load as text documents (a model can be hundreds of MB),
    /// and the publish scan reads them anyway. The targets get this from the SelectSecretAnalyzerFiles task.
    /// </summary>
    public static bool IsAnalyzerInput(string fileName) => !IsKnownBinary(fileName) || IsPkcs12(fileName);

    /// <summary>Extensions of files that are never text worth reading (models, media, archives, native code).</summary>
    public static bool IsKnownBinary(string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        switch (ext)
        {
            case ".onnx": case ".data": case ".onnx_data": case ".ort": case ".pt": case ".pth": case ".bin": case ".safetensors": case ".gguf": case ".pb": case ".tflite": case ".h5": case ".ckpt": case ".npy": case ".npz":
            case ".png": case ".jpg": case ".jpeg": case ".gif": case ".bmp": case ".ico": case ".webp": case ".tif": case ".tiff":
            case ".woff": case ".woff2": case ".ttf": case ".otf": case ".eot":
            case ".zip": case ".gz": case ".tgz": case ".br": case ".7z": case ".tar": case ".nupkg": case ".jar":
            case ".so": case ".dylib": case ".a": case ".lib": case ".pdb": case ".exe": case ".dll":
            case ".mp3": case ".mp4": case ".wav": case ".ogg": case ".avi": case ".mov": case ".pdf":
            case ".pfx": case ".p12": case ".der": case ".db": case ".sqlite": case ".mdb":
                return true;
            default:
                return false;
        }
    }
}
