using System;
using System.Text;

namespace ContainerSdk.Tests.SecretCorpus;

/// <summary>
/// Random values in the real formats, seeded so a failing corpus run can be replayed. Provider prefixes are joined
/// at run time: the repository holds no value that a secret scanner (ours or GitHub's) would take for a live secret.
/// </summary>
public sealed class CorpusRandom(int seed)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Symbols = "!#%&*+-=?@^_~";

    private readonly Random random = new(seed);

    public int Next(int max) => random.Next(max);

    public int Between(int min, int max) => random.Next(min, max + 1);

    public T Pick<T>(params T[] items) => items[random.Next(items.Length)];

    public bool Chance(double p) => random.NextDouble() < p;

    public string From(string alphabet, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    public string Alnum(int length) => Mixed(Upper + Lower + Digits, length, Upper, Lower, Digits);

    public string UpperDigits(int length) => Mixed(Upper + Digits, length, Upper, Digits);

    public string LowerDigits(int length) => Mixed(Lower + Digits, length, Lower, Digits);

    public string Letters(int length) => Mixed(Upper + Lower, length, Upper, Lower);

    public string Hex(int length) => Mixed("0123456789abcdef", length, "abcdef", Digits);

    public string Base64(int length) => Mixed(Upper + Lower + Digits + "+/", length, Upper, Lower, Digits);

    public string Base64Url(int length) => Mixed(Upper + Lower + Digits + "-_", length, Upper, Lower, Digits);

    /// <summary>A human-made strong password: letters, digits and symbols.</summary>
    public string Password(int length) => Mixed(Upper + Lower + Digits + Symbols, length, Upper, Lower, Digits, Symbols);

    public string Bytes64(int byteCount)
    {
        var bytes = new byte[byteCount];
        random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    public byte[] RawBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    public string Uuid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    /// <summary>Random text of the alphabet that contains at least one character of each required class.</summary>
    private string Mixed(string alphabet, int length, params string[] required)
    {
        while (true)
        {
            var value = From(alphabet, length);
            var ok = true;
            foreach (var r in required)
            {
                if (length >= required.Length * 2 && value.IndexOfAny(r.ToCharArray()) < 0)
                {
                    ok = false;
                }
            }

            if (ok)
            {
                return value;
            }
        }
    }
}
