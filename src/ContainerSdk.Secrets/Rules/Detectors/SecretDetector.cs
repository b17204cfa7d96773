using System;
using System.Collections.Generic;

namespace ContainerSdk.Secrets.Detectors;

/// <summary>A literal that must occur near a secret for a detector to look; found with vectorized IndexOf.</summary>
public readonly struct SecretKeyword
{
    public SecretKeyword(string text, bool ignoreCase)
    {
        Text = ignoreCase ? text.ToLowerInvariant() : text;
        IgnoreCase = ignoreCase;
    }

    public string Text { get; }

    public bool IgnoreCase { get; }

    public static SecretKeyword Exact(string text) => new(text, false);

    public static SecretKeyword AnyCase(string text) => new(text, true);
}

/// <summary>
/// The matching logic of one rule. The scanner finds the keywords, then calls <see cref="DetectRegion"/> on the line
/// (or a bounded window of a long line) around each hit; detectors without keywords get the whole text once through
/// <see cref="DetectText"/> (file kinds), or only the name through <see cref="DetectName"/>.
/// </summary>
public abstract class SecretDetector
{
    /// <summary>Specificity: an overlapping match of a higher value wins.</summary>
    protected const int Generic = 1;
    protected const int Structured = 2;
    protected const int FileKind = 3;
    protected const int Provider = 4;

    protected SecretDetector(SecretRule rule, int specificity, params SecretKeyword[] keywords)
    {
        Rule = rule;
        Specificity = specificity;
        Keywords = keywords;
    }

    public SecretRule Rule { get; }

    internal int Specificity { get; }

    public IReadOnlyList<SecretKeyword> Keywords { get; }

    /// <summary>How far past the start of the hit's line the region reaches (0: to the end of the line).</summary>
    internal virtual int ForwardWindow => 0;

    public virtual bool AppliesTo(in SecretSource source) => true;

    /// <summary>A cheap look at a keyword hit before its line is handed to the (costlier) patterns.</summary>
    internal virtual bool IsCandidate(string text, int position, int length) => true;

    internal virtual void DetectRegion(ScanContext context, int start, int end)
    {
    }

    internal virtual void DetectText(ScanContext context)
    {
    }

    internal virtual void DetectName(ScanContext context)
    {
    }

    internal bool HasKeywords => Keywords.Count > 0;
}

/// <summary>The text being scanned and the matches found so far.</summary>
internal sealed class ScanContext
{
    public ScanContext(string text, SecretSource source)
    {
        Text = text;
        Source = source;
    }

    public string Text { get; }

    public SecretSource Source { get; }

    public List<SecretMatch> Matches { get; } = [];

    public void Add(SecretDetector detector, int start, int length, string secret, string hint) =>
        Matches.Add(new SecretMatch(detector.Rule, start, length, secret, hint, detector.Specificity));

    /// <summary>A finding about the whole file, reported at <paramref name="lineStart"/> (or at no line with -1).</summary>
    public void AddFileLevel(SecretDetector detector, int lineStart, string secret, string hint) =>
        Matches.Add(new SecretMatch(detector.Rule, lineStart, 0, secret, hint, detector.Specificity));

    public int LineStartOf(int position)
    {
        var i = position <= 0 ? -1 : Text.LastIndexOf('\n', Math.Min(position, Text.Length) - 1);
        return i + 1;
    }

    /// <summary>Calls <paramref name="line"/> with (start, end) for each line of the text, without allocating.</summary>
    public void ForEachLine(Action<int, int> line)
    {
        var start = 0;
        while (start <= Text.Length)
        {
            var end = Text.IndexOf('\n', start);
            if (end < 0)
            {
                end = Text.Length;
            }

            var trimmedEnd = end > start && Text[end - 1] == '\r' ? end - 1 : end;
            line(start, trimmedEnd);
            start = end + 1;
        }
    }
}
