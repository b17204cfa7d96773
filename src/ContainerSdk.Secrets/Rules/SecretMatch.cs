namespace ContainerSdk.Secrets;

/// <summary>
/// One secret found in a text. <see cref="Secret"/> is the raw value and exists only so that callers can compute a
/// fingerprint; it must never be written anywhere. Use <see cref="Hint"/> (already redacted) in messages.
/// </summary>
public sealed class SecretMatch
{
    public SecretMatch(SecretRule rule, int start, int length, string secret, string hint, int specificity)
    {
        Rule = rule;
        Start = start;
        Length = length;
        Secret = secret;
        Hint = hint;
        Specificity = specificity;
    }

    public SecretRule Rule { get; }

    /// <summary>Offset of the secret in the scanned text; for a whole-file finding, the start of the reported line.</summary>
    public int Start { get; internal set; }

    /// <summary>Length in the scanned text; 0 for a whole-file finding (a file kind reported once, or by name only).</summary>
    public int Length { get; }

    /// <summary>1-based line in the scanned text; 0 when the finding is about the file as a whole (e.g. a .pfx).</summary>
    public int Line { get; internal set; }

    /// <summary>1-based column; 0 with <see cref="Line"/> 0.</summary>
    public int Column { get; internal set; }

    internal string Secret { get; }

    /// <summary>A redacted hint such as "ghp_…(40 chars)": never more than the public prefix of the secret.</summary>
    public string Hint { get; }

    /// <summary>When two matches overlap, the more specific one is kept (provider token over generic key, ...).</summary>
    internal int Specificity { get; }

    /// <summary>Hash of the secret for baselines and SARIF (see <see cref="SecretFingerprint"/>).</summary>
    public string Fingerprint => fingerprint ??= SecretFingerprint.Compute(Secret);

    private string? fingerprint;

    public override string ToString() => $"{Rule.Id} {Line}:{Column} {Hint}";
}
