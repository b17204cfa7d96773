using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ContainerSdk.Tests.SecretCorpus;

/// <summary>An expected finding: the rule and the 1-based line (0 for a finding about the file as a whole).</summary>
public sealed record CorpusLabel(string RuleId, int Line);

/// <summary>One file of the corpus. <see cref="Group"/> is the rule it was made for; negatives have no labels.</summary>
public sealed record CorpusSample(string Group, bool Positive, string Path, string? Text, byte[]? Bytes, IReadOnlyList<CorpusLabel> Labels)
{
    public string FileName => Path.Substring(Path.LastIndexOf('/') + 1);
}

/// <summary>
/// The labelled corpus, generated at test time: for every rule, true cases (random values in the real formats, in the
/// files they are found in) and false cases (the look-alikes of issue 3 §6: placeholders, documented examples,
/// UUIDs, hashes, public material, prose, setting names). Each file is wrapped in ordinary configuration so the
/// surroundings are tested too.
/// </summary>
public static class SecretCorpus
{
    // Provider prefixes assembled at run time (see CorpusRandom).
    private static readonly string Gh = "g" + "h";
    private static readonly string Aws = "AK" + "IA";
    private static readonly string Stripe = "s" + "k_";
    private static readonly string Slack = "xo" + "x";
    private static readonly string Google = "AI" + "za";
    private static readonly string OpenAi = "s" + "k-";
    private static readonly string OpenAiMarker = "T3Blbk" + "FJ";
    private static readonly string Begin = "-----" + "BEGIN ";
    private static readonly string End = "-----" + "END ";

    public static List<CorpusSample> Generate(int seed = 20240603, int perRule = 20)
    {
        var r = new CorpusRandom(seed);
        var samples = new List<CorpusSample>();
        var n = 0;
        void Add(string group, bool positive, string fileName, string text, params (string Rule, string Needle)[] labels) =>
            samples.Add(Make(group, positive, $"{group}/{(positive ? "p" : "n")}{n++:D4}/{fileName}", text, labels));

        for (var i = 0; i < perRule; i++)
        {
            DotEnv(r, Add);
            Pkcs12(r, samples, ref n);
            PrivateKeys(r, Add);
            Kubeconfig(r, Add);
            CredentialFiles(r, Add);
            NuGetConfig(r, Add);
            UserSecrets(r, Add);
            Tokens(r, Add);
            ConnectionStrings(r, Add);
            Uris(r, Add);
            KeyValues(r, Add);
            Noise(r, Add);
        }

        return samples;
    }

    private delegate void Adder(string group, bool positive, string fileName, string text, params (string Rule, string Needle)[] labels);

    /// <summary>A label's line is the line of its needle (a unique part of the secret), found in the text.</summary>
    private static CorpusSample Make(string group, bool positive, string path, string text, (string Rule, string Needle)[] labels)
    {
        var list = new List<CorpusLabel>();
        foreach (var (rule, needle) in labels)
        {
            var at = text.IndexOf(needle, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new InvalidOperationException($"Needle not in sample {path}");
            }

            list.Add(new CorpusLabel(rule, text.Take(at).Count(c => c == '\n') + 1));
        }

        return new CorpusSample(group, positive, path, text, null, list);
    }

    private static string AppSettings(CorpusRandom r, string section) =>
        "{\n  \"Logging\": {\n    \"LogLevel\": {\n      \"Default\": \"Information\",\n      \"Microsoft.AspNetCore\": \"Warning\"\n    }\n  },\n" +
        $"  \"AllowedHosts\": \"*\",\n  \"ServiceId\": \"{r.Uuid()}\",\n  \"Model\": {{ \"Path\": \"/app/models/model.onnx\", \"MaxTokens\": {r.Between(64, 4096)} }},\n" +
        section + "\n}\n";

    private static void DotEnv(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3101";
        var secret = r.Password(r.Between(12, 24));
        var name = r.Pick(".env", ".env.production", ".env.local", "prod.env");
        var firstKey = r.Pick("DB_PASSWORD", "SESSION_SECRET", "SMTP_PASSWORD", "APP_SECRET");
        add(g, true, name, $"# settings\n{firstKey}={secret}\nLOG_LEVEL=debug\n", (g, firstKey + "="), ("CSDK3401", secret));
        var url = "https://api." + r.LowerDigits(6) + ".com";
        add(g, true, name, $"ASPNETCORE_URLS=http://+:8080\nAPI_URL={url}\n", (g, "ASPNETCORE_URLS"));
        add(g, false, r.Pick(".env.example", ".env.sample", ".env.template"), $"DB_PASSWORD=\nAPI_KEY=<your-api-key>\nSECRET={secret}\n");
        add(g, false, ".env", "DB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=changeme\nTOKEN=\n# SECRET=xxxxxxxx\n");
    }

    private static void Pkcs12(CorpusRandom r, List<CorpusSample> samples, ref int n)
    {
        const string g = "CSDK3102";
        var der = r.RawBytes(r.Between(1500, 3000));
        der[0] = 0x30;
        der[1] = 0x82;
        samples.Add(new CorpusSample(g, true, $"{g}/p{n++:D4}/{r.Pick("certificate.pfx", "aspnetapp.pfx", "client.p12")}", null, der, [new CorpusLabel(g, 0)]));
        var pem = Pem("CERTIFICATE", r.Bytes64(r.Between(600, 1200)));
        samples.Add(Make(g, false, $"{g}/n{n++:D4}/{r.Pick("certificate.crt", "ca.cer", "server.pem")}", pem, []));
    }

    private static string Pem(string label, string base64) =>
        Begin + label + "-----\n" + string.Join("\n", Chunks(base64, 64)) + "\n" + End + label + "-----\n";

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static void PrivateKeys(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3103";
        var label = r.Pick("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY");
        var body = r.Bytes64(r.Between(120, 1200));
        var pem = Pem(label, body);
        add(g, true, r.Pick("server.key", "key.pem", "tls.key", "private.pem"), pem, (g, Begin));
        add(g, true, r.Pick("id_rsa", "id_ed25519", "id_ecdsa"), Pem("OPENSSH PRIVATE KEY", r.Bytes64(r.Between(300, 1800))), (g, Begin));
        var inline = Pem(label, r.Bytes64(r.Between(120, 1200))).Replace("\n", "\\n");
        add(g, true, "appsettings.json", AppSettings(r, $"  \"Signing\": {{\n    \"PrivateKeyPem\": \"{inline}\"\n  }},"), (g, Begin));
        add(g, true, "Keys.cs", $"namespace App;\n\ninternal static class Keys\n{{\n    public const string Pem = @\"{Pem(label, r.Bytes64(300))}\";\n}}\n", (g, Begin));
        add(g, true, "deploy.ppk", $"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n{string.Join("\n", Chunks(r.Bytes64(60), 64))}\nPrivate-Lines: 1\n{r.Bytes64(64)}\nPrivate-MAC: {r.Hex(64)}\n", (g, "PuTTY-User-Key-File-3"));

        add(g, false, "public.pem", Pem("PUBLIC KEY", r.Bytes64(r.Between(200, 500))));
        add(g, false, "id_ed25519.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + r.Base64(43) + " dev@laptop\n");
        add(g, false, "README.md", $"# Keys\nPaste your key here:\n\n```\n{Begin}RSA PRIVATE KEY-----\n...\n{End}RSA PRIVATE KEY-----\n```\nThe parser accepts \"{Begin}PRIVATE KEY-----\" and \"{Begin}EC PRIVATE KEY-----\" headers.\n");
        add(g, false, "PemLabels.cs", $"static class PemLabels {{ public const string Rsa = \"{Begin}RSA PRIVATE KEY-----\"; public const string Pkcs8 = \"{Begin}PRIVATE KEY-----\"; }}\n");
    }

    private static void Kubeconfig(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3104";
        var token = r.Base64Url(r.Between(40, 120));
        string Config(string user) =>
            "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: " + r.Bytes64(300) + "\n    server: https://10.0.0.1:6443\n  name: prod\ncontexts:\n- context:\n    cluster: prod\n    user: admin\n  name: prod\ncurrent-context: prod\nusers:\n- name: admin\n  user:\n" + user;
        add(g, true, r.Pick("kubeconfig", "prod.kubeconfig", "config.yaml"), Config($"    token: {token}\n"), (g, token));
        var key = r.Bytes64(900);
        add(g, true, "kubeconfig.yml", Config($"    client-certificate-data: {r.Bytes64(600)}\n    client-key-data: {key}\n"), (g, key));
        add(g, false, "kubeconfig", Config("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [\"eks\", \"get-token\", \"--cluster-name\", \"prod\"]\n"));
        add(g, false, "deployment.yaml", $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        env:\n        - name: TOKEN_PATH\n          value: /var/run/secrets/token\n        - name: password\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n");
    }

    private static void CredentialFiles(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3105";
        var npm = r.Uuid();
        add(g, true, ".npmrc", $"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={npm}\nalways-auth=true\n", (g, npm));
        var pypi = r.Password(r.Between(14, 30));
        add(g, true, ".pypirc", $"[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = {pypi}\n", (g, pypi));
        var git = r.Alnum(r.Between(20, 40));
        add(g, true, ".git-credentials", $"https://builder:{git}@git.{r.LowerDigits(5)}.com\n", (g, git));
        var netrc = r.Password(16);
        add(g, true, ".netrc", $"machine api.{r.LowerDigits(5)}.com\n  login deploy\n  password {netrc}\n", (g, netrc));
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:" + r.Alnum(24)));
        add(g, true, "config.json", $"{{\n  \"auths\": {{\n    \"registry.{r.LowerDigits(5)}.io\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n", (g, auth));

        add(g, false, ".npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
        add(g, false, ".pypirc", "[pypi]\nusername = __token__\n");
        add(g, false, "config.json", $"{{\n  \"credsStore\": \"desktop\",\n  \"auths\": {{ \"ghcr.io\": {{}} }}\n}}\n");
        add(g, false, ".git-credentials", "https://x-access-token:${GITHUB_TOKEN}@github.com\n");
    }

    private static void NuGetConfig(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3106";
        var pat = r.LowerDigits(52);
        string Config(string credentials) =>
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />\n    <add key=\"internal\" value=\"https://pkgs.dev.azure.com/contoso/_packaging/feed/nuget/v3/index.json\" />\n  </packageSources>\n  <packageSourceCredentials>\n    <internal>\n      <add key=\"Username\" value=\"build\" />\n" + credentials + "    </internal>\n  </packageSourceCredentials>\n</configuration>\n";
        add(g, true, r.Pick("NuGet.config", "nuget.config", "NuGet.Config"), Config($"      <add key=\"ClearTextPassword\" value=\"{pat}\" />\n"), (g, pat));
        add(g, false, "NuGet.config", Config("      <add key=\"ClearTextPassword\" value=\"%NUGET_PAT%\" />\n"));
        add(g, false, "nuget.config", Config("      <add key=\"Password\" value=\"AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA\" />\n"));
    }

    private static void UserSecrets(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3107";
        var value = r.Alnum(32);
        add(g, true, "secrets.json", $"{{\n  \"Payments:WebhookKey\": \"{value}\"\n}}\n", (g, "Payments:WebhookKey"), ("CSDK3401", value));
        add(g, false, "secrets.json", "{\n}\n");
        add(g, false, "secrets.json", "{\n  \"Payments:WebhookKey\": \"<set with dotnet user-secrets>\"\n}\n");
    }

    /// <summary>Provider tokens, each in one of the places they are found: appsettings, YAML, shell, C#, XML, text.</summary>
    private static void Tokens(CorpusRandom r, Adder add)
    {
        var tokens = new (string Rule, string Key, Func<string> Make)[]
        {
            ("CSDK3201", "AccessKeyId", () => Aws + r.UpperDigits(16)),
            ("CSDK3203", "GitHubToken", () => Gh + r.Pick("p", "o", "u", "s", "r") + "_" + r.Alnum(36)),
            ("CSDK3203", "GitHubPat", () => "github" + "_pat_" + r.Alnum(22) + "_" + r.Alnum(59)),
            ("CSDK3204", "GitLabToken", () => "gl" + "pat-" + r.Base64Url(20)),
            ("CSDK3205", "SlackToken", () => Slack + r.Pick("b", "p") + "-" + r.From("0123456789", 12) + "-" + r.From("0123456789", 13) + "-" + r.Alnum(24)),
            ("CSDK3205", "SlackWebhook", () => "https://hooks.slack.com/services/T" + r.UpperDigits(8) + "/B" + r.UpperDigits(10) + "/" + r.Alnum(24)),
            ("CSDK3206", "StripeKey", () => Stripe + r.Pick("live", "test") + "_" + r.Alnum(r.Between(24, 99))),
            ("CSDK3207", "GoogleApiKey", () => Google + r.Base64Url(35)),
            ("CSDK3210", "AccessToken", () => Jwt(r)),
            ("CSDK3211", "OpenAiKey", () => r.Pick(OpenAi + r.Alnum(20) + OpenAiMarker + r.Alnum(20), OpenAi + "proj-" + r.Base64Url(74) + OpenAiMarker + r.Base64Url(74), OpenAi + r.Alnum(48))),
            ("CSDK3212", "HfToken", () => "h" + "f_" + r.Letters(34)),
            ("CSDK3213", "NpmToken", () => "np" + "m_" + r.Alnum(36)),
            ("CSDK3214", "NuGetApiKey", () => "oy" + "2" + r.LowerDigits(43)),
        };

        foreach (var (rule, key, make) in tokens)
        {
            var value = make();
            var shape = r.Next(6);
            switch (shape)
            {
                case 0:
                    add(rule, true, "appsettings.json", AppSettings(r, $"  \"Integrations\": {{\n    \"{key}\": \"{value}\"\n  }},"), (rule, value));
                    break;
                case 1:
                    add(rule, true, "values.yaml", $"image: api:1.2.3\nreplicas: 2\nintegrations:\n  {key}: {value}\n  timeout: 30\n", (rule, value));
                    break;
                case 2:
                    add(rule, true, "deploy.sh", $"#!/bin/sh\nset -e\nexport {key.ToUpperInvariant()}=\"{value}\"\ncurl -fsS https://example.invalid/hook\n", (rule, value));
                    break;
                case 3:
                    add(rule, true, "Integrations.cs", $"namespace App;\n\npublic static class Integrations\n{{\n    public const string {key} = \"{value}\";\n}}\n", (rule, value));
                    break;
                case 4:
                    add(rule, true, "web.config", $"<?xml version=\"1.0\"?>\n<configuration>\n  <appSettings>\n    <add key=\"{key}\" value=\"{value}\" />\n  </appSettings>\n</configuration>\n", (rule, value));
                    break;
                default:
                    add(rule, true, "notes.txt", $"Deployment notes\n\nUse {value} for the staging integration.\n", (rule, value));
                    break;
            }
        }

        // AWS secret access key: only recognisable by its name.
        var awsSecret = r.Base64(40);
        add("CSDK3202", true, r.Pick("credentials", "aws.ini", "appsettings.json"),
            $"[default]\naws_access_key_id = {Aws + r.UpperDigits(16)}\naws_secret_access_key = {awsSecret}\nregion = eu-west-1\n",
            ("CSDK3202", awsSecret), ("CSDK3201", "aws_access_key_id"));
        var awsSecret2 = r.Base64(40);
        add("CSDK3202", true, "appsettings.json", AppSettings(r, $"  \"AWS\": {{\n    \"Region\": \"us-east-1\",\n    \"SecretAccessKey\": \"{awsSecret2}\"\n  }},"), ("CSDK3202", awsSecret2));
        var awsId = Aws + r.UpperDigits(16);
        var awsSecret3 = r.Base64(40);
        add("CSDK3202", true, "appsettings.Production.json", AppSettings(r, $"  \"Storage\": {{\n    \"AccessKey\": \"{awsId}\",\n    \"SecretKey\": \"{awsSecret3}\"\n  }},"), ("CSDK3202", awsSecret3), ("CSDK3201", awsId));

        // Azure storage keys and SAS.
        var accountKey = r.Bytes64(64);
        add("CSDK3208", true, "appsettings.json", AppSettings(r, $"  \"ConnectionStrings\": {{\n    \"Blobs\": \"DefaultEndpointsProtocol=https;AccountName={r.LowerDigits(10)};AccountKey={accountKey};EndpointSuffix=core.windows.net\"\n  }},"), ("CSDK3208", accountKey));
        var sbKey = r.Bytes64(32);
        add("CSDK3208", true, "appsettings.Production.json", AppSettings(r, $"  \"ServiceBus\": \"Endpoint=sb://{r.LowerDigits(8)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={sbKey}\","), ("CSDK3208", sbKey));
        var sig = Uri.EscapeDataString(r.Bytes64(32));
        add("CSDK3209", true, r.Pick("appsettings.json", "urls.txt"), $"{{ \"ModelUrl\": \"https://{r.LowerDigits(10)}.blob.core.windows.net/models/model.onnx?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig={sig}\" }}\n", ("CSDK3209", sig));

        // Look-alikes.
        add("CSDK3201", false, "docs.md", "The documented example key is " + Aws + "IOSFODNN7" + "EXAMPLE; replace it with yours.\n");
        add("CSDK3201", false, "blob.txt", "data:" + r.Base64(20) + Aws + r.UpperDigits(16) + r.Base64(12) + "\n");
        add("CSDK3202", false, "appsettings.json", AppSettings(r, $"  \"AWS\": {{\n    \"SecretAccessKey\": \"${{AWS_SECRET_ACCESS_KEY}}\",\n    \"SecretAccessKeyHash\": \"{r.Hex(40)}\"\n  }},"));
        add("CSDK3203", false, "README.md", "Create a token (it starts with " + Gh + "p_) and export GITHUB_TOKEN=" + Gh + "p_" + new string('x', 36) + ".\n");
        add("CSDK3203", false, "build.yaml", "env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  SHA: " + r.Hex(40) + "\n");
        add("CSDK3206", false, "stripe.js", "const stripe = Stripe('pk_" + "live_" + r.Alnum(24) + "');\n");
        add("CSDK3206", false, "appsettings.json", AppSettings(r, "  \"Stripe\": { \"SecretKey\": \"" + Stripe + "live_<your-key>\" },"));
        add("CSDK3204", false, "gitlab.md", "Personal tokens start with gl" + "pat- and look like gl" + "pat-" + new string('x', 20) + "; CI uses $CI_JOB_TOKEN.\n");
        add("CSDK3205", false, "slack.md", "Bot tokens look like " + Slack + "b-0000-0000-xxxx and start with " + Slack + "b-.\n");
        add("CSDK3207", false, "maps.txt", "key=" + Google + "-your-api-key\n");
        add("CSDK3208", false, "appsettings.Development.json", AppSettings(r, "  \"ConnectionStrings\": { \"Blobs\": \"UseDevelopmentStorage=true\", \"Queues\": \"AccountName=devstoreaccount1;AccountKey=${STORAGE_KEY}\" },"));
        add("CSDK3209", false, "urls.txt", $"https://{r.LowerDigits(10)}.blob.core.windows.net/models/model.onnx?sig=\n");
        add("CSDK3210", false, "notes.txt", "A JWT looks like " + "eyJ" + "hbGciOi.eyJzdWIi.signature and is three base64url parts: " + "eyJ" + r.Base64Url(20) + "." + r.Base64Url(30) + "." + r.Base64Url(20) + "\n");
        add("CSDK3211", false, "tasks.txt", "risk-" + r.Alnum(48) + " task-" + r.LowerDigits(10) + " disk-usage\n");
        add("CSDK3212", false, "model.json", "{ \"model_type\": \"bert\", \"hf_hub\": \"bert-base-uncased\", \"_name_or_path\": \"hf_" + "internal\" }\n");
        add("CSDK3213", false, "package.json", "{ \"scripts\": { \"build\": \"npm_config_" + "cache=/tmp npm run compile\" } }\n");
        add("CSDK3214", false, "nuget.txt", "dotnet nuget push pkg.nupkg --api-key ${NUGET_API_KEY}\n");
    }

    private static string Jwt(CorpusRandom r)
    {
        static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64Url("{\"alg\":\"" + r.Pick("HS256", "RS256", "ES256") + "\",\"typ\":\"JWT\"}");
        var payload = B64Url("{\"sub\":\"" + r.Uuid() + "\",\"iat\":" + r.Between(1600000000, 1800000000) + ",\"scope\":\"api\"}");
        return header + "." + payload + "." + r.Base64Url(r.Pick(43, 86, 342));
    }

    private static void ConnectionStrings(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3301";
        var pw = r.Password(r.Between(10, 24)).Replace(";", "").Replace("=", "");
        var host = r.LowerDigits(8);
        var cs = r.Pick(
            $"Server=tcp:{host}.database.windows.net,1433;Initial Catalog=app;User ID=app;Password={pw};Encrypt=True;",
            $"Host={host};Port=5432;Database=app;Username=app;Password={pw}",
            $"Server={host};Database=app;Uid=app;Pwd={pw};",
            $"Data Source={host}:1521/ORCL;User Id=app;Password={pw};",
            $"{host}.redis.cache.windows.net:6380,password={pw},ssl=True,abortConnect=False");
        add(g, true, r.Pick("appsettings.json", "appsettings.Production.json"), AppSettings(r, $"  \"ConnectionStrings\": {{\n    \"Default\": \"{cs}\"\n  }},"), (g, pw));
        add(g, true, "web.config", $"<configuration>\n  <connectionStrings>\n    <add name=\"Db\" connectionString=\"Server={host};Database=app;User Id=sa;Password={pw};\" providerName=\"System.Data.SqlClient\" />\n  </connectionStrings>\n</configuration>\n", (g, pw));
        add(g, true, "Db.cs", $"class Db {{ const string Cs = \"Host={host};Database=app;Username=app;Password={pw}\"; }}\n", (g, pw));

        add(g, false, "appsettings.json", AppSettings(r, $"  \"ConnectionStrings\": {{\n    \"Default\": \"Server={host};Database=app;Integrated Security=true;TrustServerCertificate=true\",\n    \"Other\": \"Server=tcp:{host}.database.windows.net;Database=app;Authentication=Active Directory Managed Identity\"\n  }},"));
        add(g, false, "appsettings.json", AppSettings(r, $"  \"ConnectionStrings\": {{\n    \"Default\": \"Host={host};Database=app;Username=app;Password=${{DB_PASSWORD}}\",\n    \"Template\": \"Server={host};User Id={{0}};Password={{1}};\",\n    \"Empty\": \"Server={host};Database=app;User Id=app;Password=;\"\n  }},"));
        add(g, false, "help.txt", "Forgot your password? Reset it at https://example.invalid/reset?password=reset&user=me\n");
        add(g, false, "Sql.cs", $"class Sql {{ const string Q = \"UPDATE users SET pwd=@pwd WHERE id=@id\"; const string Cs = \"Server={host};Password=****;\"; }}\n");
    }

    private static void Uris(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3302";
        var pw = r.Alnum(r.Between(12, 30));
        var uri = r.Pick(
            $"mongodb+srv://app:{pw}@cluster0.{r.LowerDigits(5)}.mongodb.net/app?retryWrites=true",
            $"redis://:{pw}@cache.internal:6379/0",
            $"postgres://app:{pw}@db.internal:5432/app",
            $"amqp://worker:{pw}@rabbit.internal:5672/vhost",
            $"https://deploy:{pw}@git.{r.LowerDigits(5)}.com/team/repo.git");
        add(g, true, r.Pick("appsettings.json", "settings.yaml", "run.sh"), $"url: \"{uri}\"\n", (g, pw));
        add(g, false, "appsettings.json", AppSettings(r, "  \"Mongo\": \"mongodb://localhost:27017/app\",\n  \"Doc\": \"postgres://user:password@localhost/app\",\n  \"Env\": \"redis://:${REDIS_PASSWORD}@cache:6379\","));
        add(g, false, "links.txt", $"See https://{r.LowerDigits(6)}.com:8443/path and http://localhost:5000/health\n");
    }

    private static void KeyValues(CorpusRandom r, Adder add)
    {
        const string g = "CSDK3401";
        var secret = r.Alnum(r.Between(24, 48));
        var key = r.Pick("ClientSecret", "ApiKey", "SigningKey", "Jwt:Key", "WebhookSecret", "EncryptionKey", "api_key", "AuthToken");
        add(g, true, "appsettings.json", AppSettings(r, $"  \"Auth\": {{\n    \"Authority\": \"https://login.example.invalid\",\n    \"{key}\": \"{secret}\"\n  }},"), (g, secret));
        var pw = r.Password(r.Between(10, 20));
        add(g, true, r.Pick("config.yaml", "settings.yml"), $"database:\n  host: db.internal\n  user: app\n  password: \"{pw}\"\n", (g, pw));
        var ini = r.Base64(32);
        add(g, true, r.Pick("app.ini", "service.conf", "app.properties"), $"[service]\nendpoint=https://api.internal\nclient_secret={ini}\n", (g, ini));
        var xml = r.Hex(40);
        add(g, true, "app.config", $"<configuration>\n  <appSettings>\n    <add key=\"Smtp.Password\" value=\"{xml}\" />\n  </appSettings>\n</configuration>\n", (g, xml));
        var element = r.Base64(44);
        add(g, true, "settings.xml", $"<settings>\n  <ApiToken>{element}</ApiToken>\n</settings>\n", (g, element));

        add(g, false, "appsettings.json", AppSettings(r,
            "  \"Identity\": {\n    \"PasswordFormat\": \"Hashed\",\n    \"RequiredPasswordLength\": 12,\n    \"TokenEndpoint\": \"https://login.example.invalid/oauth2/token\",\n    \"SecretName\": \"db-password\",\n    \"KeyVaultName\": \"kv-prod-weu\"\n  },\n" +
            $"  \"Keys\": {{\n    \"ApiKey\": \"{r.Uuid()}\",\n    \"PublicKey\": \"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA{r.Base64(40)}\",\n    \"PasswordHash\": \"$2b$10${r.Base64(53).Replace('+', '.')}\",\n    \"integrity\": \"sha512-{r.Base64(86)}==\"\n  }},"));
        add(g, false, "appsettings.json", AppSettings(r,
            "  \"Secrets\": {\n    \"ClientSecret\": \"changeme\",\n    \"ApiKey\": \"<your-api-key>\",\n    \"Token\": \"${API_TOKEN}\",\n    \"Password\": \"\",\n    \"SigningKey\": \"@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/signing)\",\n    \"Description\": \"The secret is rotated every 30 days by the platform team\"\n  },"));
        add(g, false, "config.yaml", $"auth:\n  token_ttl: 3600\n  secret_ref: vault://kv/prod/api\n  password_policy: strong\n  tokenizer: bert-base-uncased\n  checksum: {r.Hex(64)}\n");
        add(g, false, ".env.example", "API_KEY=your-api-key-here\nDB_PASSWORD=\n");
    }

    /// <summary>Ordinary files with no secret at all: what most of a publish folder is.</summary>
    private static void Noise(CorpusRandom r, Adder add)
    {
        add("noise", false, "appsettings.json", AppSettings(r, $"  \"Features\": {{ \"Beta\": true, \"CacheKey\": \"users:{{id}}\", \"Build\": \"{r.Hex(40)}\", \"Etag\": \"W/\\\"{r.Hex(16)}\\\"\" }},"));
        add("noise", false, "site.js", $"import {{ h }} from './h.js';\nconst key = 'theme';\nconst token = localStorage.getItem('token');\nfetch('https://api.example.invalid/v1/items?page=2&sort=desc', {{ headers: {{ Authorization: `Bearer ${{token}}` }} }});\n// sha: {r.Hex(64)}\n");
        add("noise", false, "App.deps.json", $"{{\n  \"libraries\": {{\n    \"Microsoft.ML.OnnxRuntime/1.20.1\": {{\n      \"type\": \"package\",\n      \"sha512\": \"sha512-{r.Base64(86)}==\",\n      \"path\": \"microsoft.ml.onnxruntime/1.20.1\"\n    }}\n  }}\n}}\n");
        add("noise", false, "index.html", $"<link rel=\"stylesheet\" href=\"/css/site.css?v={r.Base64Url(43)}\" integrity=\"sha384-{r.Base64(64)}\" crossorigin=\"anonymous\" />\n<input type=\"password\" name=\"password\" autocomplete=\"current-password\" />\n");
    }
}
