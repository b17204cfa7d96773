using System.Text;

namespace ContainerSdk.Text;

/// <summary>
/// Quotes a word for the POSIX shells (sh, bash, zsh) that people paste commands into: a plain word stays as it is,
/// anything else goes in single quotes, inside which only ' itself needs the '\'' dance. Non-ASCII is quoted too:
/// some shells split on non-breaking or other Unicode spaces.
/// </summary>
public static class ShellWord
{
    public static string Quote(string word)
    {
        if (word.Length > 0 && IsPlain(word))
        {
            return word;
        }

        var builder = new StringBuilder(word.Length + 2).Append('\'');
        foreach (var c in word)
        {
            builder.Append(c == '\'' ? "'\\''" : c.ToString());
        }

        return builder.Append('\'').ToString();
    }

    private static bool IsPlain(string word)
    {
        foreach (var c in word)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '_' or '.' or '/' or '-' or '+' or '=' or ':' or ',' or '@' or '%'))
            {
                return false;
            }
        }

        return true;
    }
}
