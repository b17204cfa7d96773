using System.Globalization;
using System.Text;

namespace ContainerSdk.Generators.Bindings;

/// <summary>Model-given strings made safe for each place in generated C#, and the indented writer the emitter uses.</summary>
internal static class CSharpText
{
    /// <summary>A C# string literal for any string.</summary>
    internal static string Lit(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                default:
                    if (c < 0x20 || c is '\u007f' or '\u0085' or '\u2028' or '\u2029')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>Text for an XML doc comment line: markup escaped, line breaks shown as escapes.</summary>
    internal static string Xml(string value)
    {
        var text = new StringBuilder();
        foreach (char c in value)
        {
            switch (c)
            {
                case '&': text.Append("&amp;"); break;
                case '<': text.Append("&lt;"); break;
                case '>': text.Append("&gt;"); break;
                default:
                    if (c < 0x20 || c is '\u007f' or '\u0085' or '\u2028' or '\u2029')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>Text for a // comment: one line.</summary>
    internal static string Comment(string value) => "'" + Xml(value) + "'";

    internal sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private int _indent;

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append(' ', _indent * 4).Append(line);
            }

            _text.Append('\n');
        }

        public void Open()
        {
            Line("{");
            _indent++;
        }

        public void Close(string closing = "}")
        {
            _indent--;
            Line(closing);
        }

        public override string ToString() => _text.ToString();
    }
}
