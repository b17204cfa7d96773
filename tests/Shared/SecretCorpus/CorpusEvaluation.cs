using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ContainerSdk.Tests.SecretCorpus;

/// <summary>True/false positives and negatives for one rule (or for all, where a finding counts by line alone).</summary>
public sealed record RuleScore(string Rule, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);
}

/// <summary>A prediction: the rule (null when a tool does not say which of ours it is) and the line.</summary>
public sealed record CorpusPrediction(string? RuleId, int Line);

/// <summary>Scores predictions against the labels: per rule by (file, rule, line); overall by (file, line).</summary>
public static class CorpusEvaluation
{
    public const string Overall = "overall";

    public static List<RuleScore> Score(IReadOnlyList<CorpusSample> samples, Func<CorpusSample, IEnumerable<CorpusPrediction>> predict, List<string>? mistakes = null)
    {
        var perRule = new Dictionary<string, int[]>(StringComparer.Ordinal);
        int[] Counts(string rule) => perRule.TryGetValue(rule, out var c) ? c : perRule[rule] = new int[3];
        var overall = new int[3];
        foreach (var sample in samples)
        {
            var predictions = predict(sample).ToList();
            var expected = sample.Labels.Select(l => (l.RuleId, l.Line)).ToHashSet();
            foreach (var p in predictions.Where(p => p.RuleId is not null).Select(p => (p.RuleId!, p.Line)).Distinct())
            {
                var hit = expected.Contains(p);
                Counts(p.Item1)[hit ? 0 : 1]++;
                if (!hit)
                {
                    mistakes?.Add($"FP {p.Item1} {sample.Path}:{p.Line}");
                }
            }

            foreach (var label in expected.Where(l => !predictions.Any(p => p.RuleId == l.RuleId && p.Line == l.Line)))
            {
                Counts(label.RuleId)[2]++;
                mistakes?.Add($"FN {label.RuleId} {sample.Path}:{label.Line}");
            }

            // Overall: a line (or the file, line 0) is either flagged or not, whatever the rule.
            var expectedLines = sample.Labels.Select(l => l.Line).ToHashSet();
            var predictedLines = predictions.Select(p => p.Line).ToHashSet();
            overall[0] += predictedLines.Count(expectedLines.Contains);
            overall[1] += predictedLines.Count(l => !expectedLines.Contains(l));
            overall[2] += expectedLines.Count(l => !predictedLines.Contains(l));
        }

        var scores = perRule.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new RuleScore(p.Key, p.Value[0], p.Value[1], p.Value[2])).ToList();
        scores.Add(new RuleScore(Overall, overall[0], overall[1], overall[2]));
        return scores;
    }

    public static string Table(IEnumerable<RuleScore> scores)
    {
        var text = new StringBuilder();
        text.AppendLine("rule        TP    FP    FN  precision  recall");
        foreach (var s in scores)
        {
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-9} {1,5} {2,5} {3,5}  {4,9:0.000}  {5,6:0.000}", s.Rule, s.TruePositives, s.FalsePositives, s.FalseNegatives, s.Precision, s.Recall));
        }

        return text.ToString();
    }
}
