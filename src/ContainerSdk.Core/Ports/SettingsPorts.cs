using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ContainerSdk.Ports;

/// <summary>A port an appsettings file makes Kestrel listen on: the configuration key, the port, where the value starts.</summary>
public sealed record SettingsPort(string Key, int Port, int Offset, int Length);

/// <summary>
/// Finds the ports an appsettings*.json file sets for Kestrel: the host's `urls`, `http_ports` and `https_ports` keys and
/// every `Kestrel:Endpoints:{name}:Url`. Configuration keys are case-insensitive, and the JSON configuration provider
/// allows comments and trailing commas, so this reader does too. It has no dependencies, because the analyzer that
/// shares it cannot load any; malformed JSON yields what was read before the error.
/// </summary>
public static class SettingsPorts
{
    public static IReadOnlyList<SettingsPort> Find(string json)
    {
        var found = new List<SettingsPort>();
        var reader = new Reader(json);
        try
        {
            reader.SkipTrivia();
            reader.Value(new List<string>(), found);
        }
        catch (FormatException)
        {
            // Partial results are still real findings.
        }

        return found;
    }

    private static void Inspect(List<string> path, string value, int offset, int length, List<SettingsPort> found)
    {
        IEnumerable<int> ports;
        if (path.Count == 1 && Is(path[0], "urls"))
        {
            ports = PortRules.PortsOfUrls(value);
        }
        else if (path.Count == 1 && (Is(path[0], "http_ports") || Is(path[0], "https_ports")))
        {
            ports = PortRules.PortsOfList(value);
        }
        else if (path.Count == 4 && Is(path[0], "Kestrel") && Is(path[1], "Endpoints") && Is(path[3], "Url"))
        {
            ports = PortRules.PortOfUrl(value) is { } port ? [port] : [];
        }
        else
        {
            return;
        }

        foreach (var port in ports)
        {
            found.Add(new SettingsPort(string.Join(":", path), port, offset, length));
        }

        static bool Is(string key, string name) => string.Equals(key, name, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Reader(string text)
    {
        private int position;

        public void Value(List<string> path, List<SettingsPort> found)
        {
            if (path.Count > 64)
            {
                throw new FormatException("too deep");
            }

            switch (Peek())
            {
                case '{':
                    position++;
                    SkipTrivia();
                    while (Peek() != '}')
                    {
                        var key = String();
                        SkipTrivia();
                        Expect(':');
                        SkipTrivia();
                        path.Add(key);
                        Value(path, found);
                        path.RemoveAt(path.Count - 1);
                        SkipTrivia();
                        if (Peek() == ',')
                        {
                            position++;
                            SkipTrivia();
                        }
                        else if (Peek() != '}')
                        {
                            throw new FormatException("expected , or }");
                        }
                    }

                    position++;
                    break;
                case '[':
                    position++;
                    SkipTrivia();
                    for (int index = 0; Peek() != ']'; index++)
                    {
                        path.Add(index.ToString(CultureInfo.InvariantCulture));
                        Value(path, found);
                        path.RemoveAt(path.Count - 1);
                        SkipTrivia();
                        if (Peek() == ',')
                        {
                            position++;
                            SkipTrivia();
                        }
                        else if (Peek() != ']')
                        {
                            throw new FormatException("expected , or ]");
                        }
                    }

                    position++;
                    break;
                case '"':
                    int start = position;
                    var value = String();
                    Inspect(path, value, start, position - start, found);
                    break;
                default:
                    // Numbers, true, false, null: nothing a port check needs, so they are skipped as one token.
                    int begin = position;
                    while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '-' or '+' or '.'))
                    {
                        position++;
                    }

                    if (position == begin)
                    {
                        throw new FormatException("unexpected character");
                    }

                    break;
            }
        }

        public void SkipTrivia()
        {
            while (position < text.Length)
            {
                char c = text[position];
                if (char.IsWhiteSpace(c) || c == '\uFEFF')
                {
                    position++;
                }
                else if (c == '/' && position + 1 < text.Length && text[position + 1] == '/')
                {
                    while (position < text.Length && text[position] != '\n')
                    {
                        position++;
                    }
                }
                else if (c == '/' && position + 1 < text.Length && text[position + 1] == '*')
                {
                    int end = text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                    position = end < 0 ? text.Length : end + 2;
                }
                else
                {
                    return;
                }
            }
        }

        private char Peek() => position < text.Length ? text[position] : throw new FormatException("unexpected end");

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException("expected " + c);
            }

            position++;
        }

        private string String()
        {
            Expect('"');
            var builder = new StringBuilder();
            while (true)
            {
                char c = Peek();
                position++;
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                char e = Peek();
                position++;
                switch (e)
                {
                    case 'n': builder.Append('\n'); break;
                    case 't': builder.Append('\t'); break;
                    case 'r': builder.Append('\r'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'u':
                        if (position + 4 > text.Length || !int.TryParse(text.Substring(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            throw new FormatException("bad \\u escape");
                        }

                        builder.Append((char)code);
                        position += 4;
                        break;
                    default: builder.Append(e); break;
                }
            }
        }
    }
}
