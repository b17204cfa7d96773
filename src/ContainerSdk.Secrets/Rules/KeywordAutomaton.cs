using System.Collections.Generic;

namespace ContainerSdk.Secrets;

/// <summary>
/// Finds every keyword of every detector in one pass over the text (Aho–Corasick, as a dense ASCII DFA), instead of
/// one IndexOf pass per keyword: the cost no longer grows with the number of rules. Matching is ASCII
/// case-insensitive; keywords that must match exactly are checked at the (rare) hit.
/// </summary>
internal sealed class KeywordAutomaton
{
    private const int Alphabet = 128;

    private readonly int[] next;
    private readonly int[][] outputs;
    private readonly string[] keywords;
    private readonly bool[] exact;

    public KeywordAutomaton(IReadOnlyList<(string Text, bool Exact)> keywordList)
    {
        keywords = new string[keywordList.Count];
        exact = new bool[keywordList.Count];
        var gotos = new List<int[]> { NewRow() };
        var outs = new List<List<int>> { new() };
        for (var k = 0; k < keywordList.Count; k++)
        {
            keywords[k] = keywordList[k].Text;
            exact[k] = keywordList[k].Exact;
            var state = 0;
            foreach (var ch in keywordList[k].Text)
            {
                var c = Fold(ch);
                if (gotos[state][c] <= 0)
                {
                    gotos.Add(NewRow());
                    outs.Add([]);
                    gotos[state][c] = gotos.Count - 1;
                }

                state = gotos[state][c];
            }

            outs[state].Add(k);
        }

        // Breadth-first: failure links, merged outputs, and the full transition table.
        var states = gotos.Count;
        next = new int[states * Alphabet];
        var fail = new int[states];
        var queue = new Queue<int>();
        for (var c = 0; c < Alphabet; c++)
        {
            var s = gotos[0][c];
            if (s > 0)
            {
                fail[s] = 0;
                queue.Enqueue(s);
                next[c] = s;
            }
        }

        while (queue.Count > 0)
        {
            var r = queue.Dequeue();
            outs[r].AddRange(outs[fail[r]]);
            for (var c = 0; c < Alphabet; c++)
            {
                var s = gotos[r][c];
                if (s > 0)
                {
                    fail[s] = next[(fail[r] * Alphabet) + c];
                    queue.Enqueue(s);
                    next[(r * Alphabet) + c] = s;
                }
                else
                {
                    next[(r * Alphabet) + c] = next[(fail[r] * Alphabet) + c];
                }
            }
        }

        // Upper-case columns repeat the lower-case ones: the search loop folds case without a branch.
        for (var st = 0; st < states; st++)
        {
            for (var c = 'A'; c <= 'Z'; c++)
            {
                next[(st * Alphabet) + c] = next[(st * Alphabet) + (c | 0x20)];
            }
        }

        outputs = new int[states][];
        for (var s = 0; s < states; s++)
        {
            outputs[s] = outs[s].ToArray();
        }

        // Each entry holds target * 2 + (target has output ? 1 : 0): the hot loop needs one load per character.
        for (var i = 0; i < next.Length; i++)
        {
            next[i] = (next[i] * 2) + (outputs[next[i]].Length > 0 ? 1 : 0);
        }
    }

    public string Keyword(int index) => keywords[index];

    /// <summary>Adds (position, keyword index) for every occurrence, in text order.</summary>
    public void Search(string text, List<KeyValuePair<int, int>> hits)
    {
        var code = 0;
        var table = next;
        for (var i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c >= Alphabet)
            {
                code = 0;
                continue;
            }

            code = table[((code >> 1) << 7) | c];
            if ((code & 1) == 0)
            {
                continue;
            }

            foreach (var k in outputs[code >> 1])
            {
                var start = i - keywords[k].Length + 1;
                if (!exact[k] || string.CompareOrdinal(text, start, keywords[k], 0, keywords[k].Length) == 0)
                {
                    hits.Add(new KeyValuePair<int, int>(start, k));
                }
            }
        }
    }

    private static int[] NewRow() => new int[Alphabet];

    private static int Fold(char ch) => ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch;
}
