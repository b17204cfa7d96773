using System;
using System.Collections.Generic;
using ContainerSdk.Secrets.Detectors;

namespace ContainerSdk.Secrets;

/// <summary>
/// Runs every detector over one text: finds all keywords in one pass (<see cref="KeywordAutomaton"/>), hands the
/// detectors only the lines around the hits, keeps the most specific of overlapping matches, drops the lines marked
/// with <see cref="AllowMarker"/>, and numbers lines and columns. No I/O: the callers read files, assemblies or syntax.
/// </summary>
public static class SecretScanner
{
    /// <summary>An inline allow comment: on the line of a finding or on the line just above it.</summary>
    public const string AllowMarker = "containersdk:allow-secret";

    /// <summary>Longest stretch of one line a detector sees around a hit (minified files have megabyte lines).</summary>
    private const int MaxLineWindow = 4096;

    /// <summary>Keyword index → the detectors that asked for it.</summary>
    private static readonly List<SecretDetector>[] KeywordDetectors;

    private static readonly KeywordAutomaton Automaton;

    static SecretScanner()
    {
        var keywords = new List<(string Text, bool Exact)>();
        var detectors = new List<List<SecretDetector>>();
        foreach (var detector in SecretDetectors.All)
        {
            foreach (var keyword in detector.Keywords)
            {
                var index = keywords.IndexOf((keyword.Text, !keyword.IgnoreCase));
                if (index < 0)
                {
                    keywords.Add((keyword.Text, !keyword.IgnoreCase));
                    detectors.Add([]);
                    index = keywords.Count - 1;
                }

                if (!detectors[index].Contains(detector))
                {
                    detectors[index].Add(detector);
                }
            }
        }

        Automaton = new KeywordAutomaton(keywords);
        KeywordDetectors = detectors.ToArray();
    }

    /// <summary>The overlap a caller that scans a long text in chunks must keep between chunks.</summary>
    public static int ChunkOverlap => 16384 + MaxLineWindow;

    /// <summary>Scans <paramref name="text"/>; null when only the name is known (a binary or unreadable file).</summary>
    public static List<SecretMatch> Scan(string? text, SecretSource source) => Scan(text, source, includeWholeFileRules: true);

    /// <param name="includeWholeFileRules">False for the second and later chunks of a long file: the whole-file
    /// rules (.env, secrets.json, kubeconfig, name rules) have seen the first chunk.</param>
    public static List<SecretMatch> Scan(string? text, SecretSource source, bool includeWholeFileRules)
    {
        var context = new ScanContext(text ?? "", source);
        var applicable = new List<SecretDetector>();
        foreach (var detector in SecretDetectors.All)
        {
            if (detector.AppliesTo(source))
            {
                applicable.Add(detector);
            }
        }

        if (text is not null && text.Length > 0)
        {
            if (includeWholeFileRules)
            {
                foreach (var detector in applicable)
                {
                    if (!detector.HasKeywords)
                    {
                        detector.DetectText(context);
                    }
                }
            }

            RunKeywordDetectors(context, applicable);
        }

        if (includeWholeFileRules)
        {
            foreach (var detector in applicable)
            {
                detector.DetectName(context);
            }
        }

        return Finish(context);
    }

    private static void RunKeywordDetectors(ScanContext context, List<SecretDetector> applicable)
    {
        var text = context.Text;
        var hits = new List<KeyValuePair<int, int>>();
        Automaton.Search(text, hits);
        if (hits.Count == 0)
        {
            return;
        }

        var regions = new List<(SecretDetector Detector, int Start, int End)>();
        var seen = new HashSet<long>();
        var coveredUntil = new int[KeywordDetectors.Length];
        foreach (var hit in hits)
        {
            var position = hit.Key;
            var keyword = hit.Value;
            if (position < coveredUntil[keyword])
            {
                continue;
            }

            var lineStart = -1;
            var lineEnd = -1;
            var next = int.MaxValue;
            foreach (var detector in KeywordDetectors[keyword])
            {
                var index = applicable.IndexOf(detector);
                if (index < 0 || !detector.IsCandidate(text, position, Automaton.Keyword(keyword).Length))
                {
                    continue;
                }

                if (lineStart < 0)
                {
                    lineStart = BoundedLineStart(text, position);
                    lineEnd = BoundedLineEnd(text, position);
                }

                var end = detector.ForwardWindow > 0 ? Math.Min(text.Length, lineStart + detector.ForwardWindow) : lineEnd;
                if (seen.Add(((long)index << 32) | (uint)lineStart))
                {
                    regions.Add((detector, lineStart, end));
                }

                // A later hit inside this region adds nothing, unless the line goes on past the window.
                next = Math.Min(next, end < text.Length && text[end] != '\n' && text[end] != '\r' ? end - 512 : end);
            }

            coveredUntil[keyword] = next == int.MaxValue ? position + 1 : Math.Max(position + 1, next);
        }

        foreach (var (detector, start, end) in regions)
        {
            detector.DetectRegion(context, start, end);
        }
    }

    /// <summary>
    /// Positions of the keywords of the detectors that apply to <paramref name="source"/>: lets the analyzer skip a
    /// C# file with one pass per keyword and look only at the tokens at these positions.
    /// </summary>
    public static void FindKeywordHits(string text, SecretSource source, List<int> hits)
    {
        var found = new List<KeyValuePair<int, int>>();
        Automaton.Search(text, found);
        foreach (var hit in found)
        {
            foreach (var detector in KeywordDetectors[hit.Value])
            {
                if (detector.AppliesTo(source))
                {
                    hits.Add(hit.Key);
                    break;
                }
            }
        }
    }

    private static int BoundedLineStart(string text, int position)
    {
        var count = Math.Min(position, MaxLineWindow);
        if (count == 0)
        {
            return position;
        }

        var i = text.LastIndexOf('\n', position - 1, count);
        return i >= 0 ? i + 1 : position - count;
    }

    private static int BoundedLineEnd(string text, int position)
    {
        var count = Math.Min(text.Length - position, MaxLineWindow);
        var i = text.IndexOf('\n', position, count);
        return i >= 0 ? i : position + count;
    }

    private static List<SecretMatch> Finish(ScanContext context)
    {
        var matches = context.Matches;
        matches.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Specificity.CompareTo(a.Specificity));

        // Same rule and span found twice (two keywords on one line), or a generic match inside a specific one.
        var kept = new List<SecretMatch>(matches.Count);
        foreach (var m in matches)
        {
            var drop = false;
            foreach (var k in kept)
            {
                if (m.Length == 0 || k.Length == 0)
                {
                    if (m.Length == 0 && k.Length == 0 && k.Rule == m.Rule && k.Start == m.Start)
                    {
                        drop = true;
                    }

                    continue;
                }

                var overlap = m.Start < k.Start + k.Length && k.Start < m.Start + m.Length;
                if (overlap && (k.Rule == m.Rule || k.Specificity >= m.Specificity))
                {
                    drop = true;
                    break;
                }
            }

            if (!drop)
            {
                // A more specific later match may overlap an earlier generic one.
                kept.RemoveAll(k => k.Length > 0 && m.Length > 0 && k.Specificity < m.Specificity
                    && m.Start < k.Start + k.Length && k.Start < m.Start + m.Length);
                kept.Add(m);
            }
        }

        NumberLines(context.Text, kept);
        kept.RemoveAll(m => m.Line > 0 && IsAllowed(context.Text, m.Start));
        return kept;
    }

    private static void NumberLines(string text, List<SecretMatch> matches)
    {
        matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        var line = 1;
        var lineStart = 0;
        var position = 0;
        foreach (var m in matches)
        {
            if (m.Start < 0)
            {
                m.Line = 0;
                m.Column = 0;
                continue;
            }

            while (position < m.Start && position < text.Length)
            {
                var next = text.IndexOf('\n', position, m.Start - position);
                if (next < 0)
                {
                    break;
                }

                line++;
                lineStart = next + 1;
                position = next + 1;
            }

            m.Line = line;
            m.Column = m.Start - lineStart + 1;
        }
    }

    private static bool IsAllowed(string text, int position)
    {
        var lineStart = position <= 0 ? 0 : text.LastIndexOf('\n', Math.Min(position, text.Length) - 1) + 1;
        var lineEnd = text.IndexOf('\n', Math.Min(position, text.Length));
        if (lineEnd < 0)
        {
            lineEnd = text.Length;
        }

        if (Contains(text, lineStart, lineEnd))
        {
            return true;
        }

        if (lineStart == 0)
        {
            return false;
        }

        var previousStart = lineStart - 1 <= 0 ? 0 : text.LastIndexOf('\n', lineStart - 2) + 1;
        return Contains(text, previousStart, lineStart);
    }

    private static bool Contains(string text, int start, int end) =>
        end > start && text.IndexOf(AllowMarker, start, end - start, StringComparison.OrdinalIgnoreCase) >= 0;
}
