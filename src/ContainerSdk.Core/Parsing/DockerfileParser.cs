using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ContainerSdk.Parsing;

public sealed record ParsedInstruction(string Keyword, string Arguments, int Line);

public sealed record KeyValue(string Key, string Value, bool ExpandsVariables);

/// <summary>
/// Reads a Dockerfile the way BuildKit's parser does (lines, '\' continuations, comments, exec-form JSON, ENV/LABEL
/// words). Used to prove what an engine will see, e.g. that no project value can add an instruction.
/// </summary>
public static class DockerfileParser
{
    public static IReadOnlyList<ParsedInstruction> Parse(string text)
    {
        var result = new List<ParsedInstruction>();
        var lines = text.Split('\n');
        var current = new StringBuilder();
        int start = 0;
        bool continuing = false;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart(' ', '\t');
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                // BuildKit drops empty and comment lines, also inside a continued instruction.
                continue;
            }

            if (!continuing)
            {
                start = i + 1;
                current.Clear();
            }

            var content = line.TrimEnd(' ', '\t');
            if (content.EndsWith("\\", StringComparison.Ordinal))
            {
                current.Append(content, 0, content.Length - 1);
                continuing = true;
                continue;
            }

            current.Append(line);
            continuing = false;
            Add(result, current.ToString(), start);
        }

        if (continuing)
        {
            Add(result, current.ToString(), start);
        }

        return result;
    }

    private static void Add(List<ParsedInstruction> result, string text, int line)
    {
        text = text.Trim(' ', '\t');
        int space = 0;
        while (space < text.Length && text[space] != ' ' && text[space] != '\t')
        {
            space++;
        }

        result.Add(new ParsedInstruction(text.Substring(0, space).ToUpperInvariant(), text.Substring(space).Trim(' ', '\t'), line));
    }

    /// <summary>Strips leading --flag=value words (as in RUN --mount=..., COPY --from=...).</summary>
    public static (IReadOnlyList<string> Flags, string Remainder) SplitFlags(string arguments)
    {
        var flags = new List<string>();
        var rest = arguments.TrimStart();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            int end = rest.IndexOfAny([' ', '\t']);
            flags.Add(end < 0 ? rest : rest.Substring(0, end));
            rest = end < 0 ? "" : rest.Substring(end).TrimStart();
        }

        return (flags, rest);
    }

    /// <summary>Parses an exec-form JSON array of strings; null when the text is not one (shell form).</summary>
    public static IReadOnlyList<string>? ParseJsonArray(string text)
    {
        var s = text.Trim();
        if (s.Length < 2 || s[0] != '[' || s[s.Length - 1] != ']')
        {
            return null;
        }

        var items = new List<string>();
        int i = 1;
        SkipSpace(s, ref i);
        if (s[i] == ']')
        {
            return i == s.Length - 1 ? items : null;
        }

        while (true)
        {
            SkipSpace(s, ref i);
            if (i >= s.Length || s[i] != '"')
            {
                return null;
            }

            var value = new StringBuilder();
            i++;
            while (true)
            {
                if (i >= s.Length)
                {
                    return null;
                }

                char c = s[i++];
                if (c == '"')
                {
                    break;
                }

                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                if (i >= s.Length)
                {
                    return null;
                }

                char e = s[i++];
                switch (e)
                {
                    case '"': value.Append('"'); break;
                    case '\\': value.Append('\\'); break;
                    case '/': value.Append('/'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'u':
                        if (i + 4 > s.Length || !int.TryParse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            return null;
                        }

                        value.Append((char)code);
                        i += 4;
                        break;
                    default: return null;
                }
            }

            items.Add(value.ToString());
            SkipSpace(s, ref i);
            if (i < s.Length && s[i] == ',')
            {
                i++;
                continue;
            }

            return i == s.Length - 1 && s[i] == ']' ? items : null;
        }
    }

    /// <summary>
    /// Parses ENV/LABEL arguments in key=value form with Dockerfile word rules: double quotes group, a backslash
    /// escapes the next character, and an unescaped '$' marks a variable the engine will expand.
    /// </summary>
    public static IReadOnlyList<KeyValue>? ParseKeyValues(string arguments)
    {
        var pairs = new List<KeyValue>();
        int i = 0;
        while (true)
        {
            while (i < arguments.Length && char.IsWhiteSpace(arguments[i]))
            {
                i++;
            }

            if (i >= arguments.Length)
            {
                return pairs;
            }

            var word = new StringBuilder();
            bool expands = false;
            bool inQuotes = false;
            while (i < arguments.Length && (inQuotes || !char.IsWhiteSpace(arguments[i])))
            {
                char c = arguments[i++];
                if (c == '"')
                {
                    inQuotes = !inQuotes;
                    continue;
                }

                if (c == '\\' && i < arguments.Length)
                {
                    char next = arguments[i];
                    if (!inQuotes || next is '"' or '\\' or '$')
                    {
                        word.Append(next);
                        i++;
                        continue;
                    }
                }

                if (c == '$')
                {
                    expands = true;
                }

                word.Append(c);
            }

            if (inQuotes)
            {
                return null;
            }

            var text = word.ToString();
            int eq = text.IndexOf('=');
            if (eq <= 0)
            {
                return null;
            }

            pairs.Add(new KeyValue(text.Substring(0, eq), text.Substring(eq + 1), expands));
        }
    }

    private static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
    }
}
