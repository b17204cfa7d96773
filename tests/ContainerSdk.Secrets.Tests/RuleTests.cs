using ContainerSdk.Secrets.Detectors;
using ContainerSdk.Tests.SecretCorpus;

namespace ContainerSdk.Secrets.Tests;

/// <summary>The filters and name rules as pure functions, row by row (issue 3 §6), and the scanner's mechanics.</summary>
public class RuleTests
{
    private static readonly CorpusRandom R = new(5);

    [Theory]
    [InlineData("${DB_PASSWORD}")]
    [InlineData("{{ api_key }}")]
    [InlineData("%NUGET_PAT%")]
    [InlineData("<your-key>")]
    [InlineData("changeme")]
    [InlineData("xxxxxxxxxxxxxxxx")]
    [InlineData("***")]
    [InlineData("__TOKEN__")]
    [InlineData("#{Secret}#")]
    [InlineData("{0}")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)")]
    [InlineData("")]
    [InlineData("your_api_key_here")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("$(NuGetApiKey)")]
    [InlineData("@(ContainerBuildSecret)")]
    [InlineData("%(Secret.Identity)")]
    public void Placeholders_are_recognised(string value) => SecretValues.IsPlaceholder(value).ShouldBeTrue();

    [Fact]
    public void Random_values_are_not_placeholders()
    {
        for (var i = 0; i < 500; i++)
        {
            var value = R.Alnum(R.Between(16, 64));
            SecretValues.IsPlaceholder(value).ShouldBeFalse(value);
            SecretValues.IsWordsIdentifier(value).ShouldBeFalse(value);
        }
    }

    [Theory]
    [InlineData("mypass", true)]
    [InlineData("old_password", true)]
    [InlineData("clientSecret", true)]
    [InlineData("Tr0ub4dor&3", false)]
    public void Documentation_stand_ins_are_recognised(string value, bool expected) => SecretValues.IsStandIn(value).ShouldBe(expected);

    [Theory]
    [InlineData("$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", true)]
    [InlineData("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", true)]
    [InlineData("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==", true)]
    [InlineData("AQAAAAEAACcQAAAAEGRmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlA==", true)]
    [InlineData("AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAAabc", true)]
    [InlineData("c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2", false)]
    public void Hash_formats_are_recognised(string value, bool expected) => SecretValues.IsHashFormat(value).ShouldBe(expected);

    [Theory]
    [InlineData("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", true)]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301", true)]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c330", false)]
    public void Uuids_are_recognised(string value, bool expected) => SecretValues.IsUuid(value).ShouldBe(expected);

    [Theory]
    [InlineData("TestProjectRetargetTo35Allowed", true)]
    [InlineData("DefaultAzureCredential", true)]
    [InlineData("7.9.0-rc.42413", false)]
    public void Word_identifiers_are_recognised(string value, bool expected) => SecretValues.IsWordsIdentifier(value).ShouldBe(expected);

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("7.9.0-rc.42413")]
    [InlineData("v10.0.0+abc123")]
    [InlineData("(,10.0.32767]")]
    [InlineData("[8.0.0, )")]
    public void Versions_are_recognised(string value) => SecretValues.IsVersion(value).ShouldBeTrue();

    [Theory]
    [InlineData("Password", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("ClientSecret", true)]
    [InlineData("Authentication:Google:ClientSecret", true)]
    [InlineData("Kestrel__Certificates__Default__Password", true)]
    [InlineData("x-api-key", true)]
    [InlineData("Jwt:Key", true)]
    [InlineData("SigningKey", true)]
    [InlineData("AuthToken", true)]
    [InlineData("passwordFormat", false)]
    [InlineData("PasswordHash", false)]
    [InlineData("TokenEndpoint", false)]
    [InlineData("SecretName", false)]
    [InlineData("KeyVaultUrl", false)]
    [InlineData("PublicKey", false)]
    [InlineData("PartitionKey", false)]
    [InlineData("GPG_KEY", false)]
    [InlineData("PGP_KEY", false)]
    [InlineData("MaxTokens", false)]
    [InlineData("Tokenizer", false)]
    [InlineData("AccessKeyId", false)]
    [InlineData("RequiredPasswordLength", false)]
    public void Secret_names_are_told_from_names_about_secrets(string key, bool expected) => SecretNames.IsSecretName(key).ShouldBe(expected);

    [Fact]
    public void Hints_show_at_most_the_public_prefix_and_a_third_of_the_value()
    {
        var token = "gh" + "p_" + R.Alnum(36);
        SecretRedactor.Hint(token, 4).ShouldBe("ghp_…(40 chars)");
        SecretRedactor.Hint("abcdef", 12).ShouldBe("ab…(6 chars)");
        SecretRedactor.Named("Password", "=", "hunter22").ShouldBe("Password=…(8 chars)");
    }

    [Fact]
    public void Fingerprints_are_stable_one_way_and_distinct()
    {
        var secret = R.Alnum(40);
        var fingerprint = SecretFingerprint.Compute(secret);
        fingerprint.ShouldBe(SecretFingerprint.Compute(secret));
        fingerprint.ShouldStartWith(SecretFingerprint.Prefix);
        fingerprint.Length.ShouldBe(SecretFingerprint.Prefix.Length + 32);
        fingerprint.ShouldNotContain(secret.Substring(0, 8));
        SecretFingerprint.Compute(secret + "x").ShouldNotBe(fingerprint);
    }

    [Fact]
    public void Baseline_round_trips_sorted_and_reports_lines_it_cannot_read()
    {
        var a = SecretFingerprint.Compute(R.Alnum(20));
        var b = SecretFingerprint.Compute(R.Alnum(20));
        var text = SecretBaseline.Format([("CSDK3401", b, "b.json:3"), ("CSDK3203", a, "a.json:1"), ("CSDK3203", a, "dup")]);
        text.ShouldStartWith("# ContainerSdk secrets baseline");
        text.IndexOf(a, StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf(b, StringComparison.Ordinal));
        var parsed = SecretBaseline.Parse(text + "garbage line\n", out var errors);
        parsed.Count.ShouldBe(2);
        parsed.Contains(a).ShouldBeTrue();
        errors.Count.ShouldBe(1);
    }

    [Fact]
    public void Allow_comment_on_the_line_or_the_line_above_suppresses_a_finding()
    {
        var token = "gh" + "p_" + R.Alnum(36);
        var text = $"a: {token}\nb: {token} # containersdk:allow-secret\n# containersdk:allow-secret\nc: {token}\nd: {token}\n";
        SecretScanner.Scan(text, SecretSource.ForFile("x.yaml")).Select(m => m.Line).ShouldBe([1, 5]);
    }

    [Fact]
    public void Secrets_in_megabyte_lines_are_found_at_their_column()
    {
        var token = "npm" + "_" + R.Alnum(36);
        var text = "var a='" + new string('k', 2_000_000) + "';var t='" + token + "';" + string.Concat(Enumerable.Repeat("key=1;", 100_000));
        var match = SecretScanner.Scan(text, SecretSource.ForFile("bundle.min.js")).ShouldHaveSingleItem();
        match.Rule.ShouldBe(SecretRules.NpmToken);
        match.Column.ShouldBe(text.IndexOf(token, StringComparison.Ordinal) + 1);
    }

    [Fact]
    public void Overlapping_matches_keep_the_most_specific_rule()
    {
        var token = "gh" + "p_" + R.Alnum(36);
        var match = SecretScanner.Scan($"{{ \"GitHubToken\": \"{token}\" }}", SecretSource.ForFile("appsettings.json")).ShouldHaveSingleItem();
        match.Rule.ShouldBe(SecretRules.GitHubToken);
    }

    [Fact]
    public void Every_rule_has_a_detector_and_every_detector_a_rule_of_the_catalog()
    {
        SecretDetectors.All.Select(d => d.Rule).Distinct().OrderBy(r => r.Id).ShouldBe(SecretRules.All.OrderBy(r => r.Id));
        SecretRules.All.Select(r => r.Id).ShouldBeUnique();
        SecretRules.All.ShouldAllBe(r => r.Id.StartsWith("CSDK3"));
        SecretRule.HelpLinkFormat.ShouldBe(ContainerSdk.Diagnostics.ContainerDiagnostic.HelpLinkFormat);
    }

    [Fact]
    public void Hints_never_reveal_more_than_the_public_prefix_on_the_whole_corpus()
    {
        foreach (var sample in SecretCorpus.Generate(seed: 99, perRule: 5).Where(s => s.Text is not null))
        {
            foreach (var match in SecretScanner.Scan(sample.Text, SecretSource.ForFile(sample.Path)))
            {
                foreach (var value in SecretValuesOf(match))
                {
                    // No 6-character stretch of the value past its public prefix shows in the hint.
                    for (var i = Math.Min(12, value.Length / 3); i + 6 <= value.Length; i++)
                    {
                        match.Hint.ShouldNotContain(value.Substring(i, 6), Case.Sensitive, $"{sample.Path}: {match.Rule.Id}");
                    }
                }
            }
        }
    }

    /// <summary>The secret values inside a match (whole-file matches carry every "name=value" of the file).</summary>
    private static IEnumerable<string> SecretValuesOf(SecretMatch match)
    {
        var secret = match.Secret;
        if (secret.StartsWith("PRIVATE KEY:", StringComparison.Ordinal))
        {
            return [secret.Substring("PRIVATE KEY:".Length)];
        }

        if (match.Length == 0)
        {
            return secret.Split('\n').Where(l => l.Contains('=')).Select(l => l.Substring(l.IndexOf('=') + 1));
        }

        return [secret];
    }
}
