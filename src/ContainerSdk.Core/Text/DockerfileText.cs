using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ContainerSdk.Text;

/// <summary>Quoting for the three places values appear in a Dockerfile. Inputs have passed <see cref="ValueRules"/>.</summary>
public static class DockerfileText
{
    /// <summary>A double-quoted ENV/LABEL value: backslash, quote and '$' (variable expansion) are escaped.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '\\' or '"' or '$')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A JSON string for exec-form arrays (ENTRYPOINT, CMD, COPY). No variable expansion happens there.</summary>
    public static string Json(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    public static string JsonArray(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Json)) + "]";
}
