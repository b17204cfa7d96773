using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ContainerSdk.Secrets;

/// <summary>Text: telling binary from text by its first bytes, decoding it, and scanning it in overlapping chunks.</summary>
public static partial class SecretFileScanner
{
    /// <summary>NUL bytes (outside UTF-16 text) or many control characters mean binary.</summary>
    internal static bool IsBinary(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            return false;
        }

        var control = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return true;
            }

            if (b < 32 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 27)
            {
                control++;
            }
        }

        return control * 20 > head.Length;
    }

    /// <summary>
    /// Streams the text in 1M-character chunks. Each chunk after the first starts with the tail of the previous one, so
    /// a secret across a chunk boundary is seen whole; a chunk reports only matches that start in the part it owns.
    /// </summary>
    private static void ScanText(Stream stream, long length, SecretSource source, string fullPath, string relativePath, long maxBytes, List<PublishedSecret> found)
    {
        var overlap = SecretScanner.ChunkOverlap;
        using var limited = new BoundedStream(stream, maxBytes);
        using var reader = new StreamReader(limited, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: (int)Math.Clamp(length, 1024, 65536));

        // Most published files are small: a chunk sized to the file (a UTF-8 byte is at most one char), pooled.
        var chunkLength = (int)Math.Min(ChunkChars, Math.Min(length, maxBytes) + 1);
        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(chunkLength);
        try
        {
            ScanChunks(reader, rented, chunkLength, overlap, source, fullPath, relativePath, found);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static void ScanChunks(StreamReader reader, char[] chunk, int chunkLength, int overlap, SecretSource source, string fullPath, string relativePath, List<PublishedSecret> found)
    {
        var tail = "";
        var linesBefore = 0;
        var first = true;
        while (true)
        {
            var read = reader.ReadBlock(chunk, 0, chunkLength);
            if (read == 0 && !first)
            {
                break;
            }

            var text = tail + new string(chunk, 0, read);
            var eof = read < chunkLength;
            var ownedFrom = first ? 0 : Math.Max(0, tail.Length - overlap);
            var ownedTo = eof ? int.MaxValue : text.Length - overlap;
            foreach (var match in SecretScanner.Scan(text, source, includeWholeFileRules: first))
            {
                if (match.Start < 0 || (first && match.Length == 0) || (match.Start >= ownedFrom && match.Start < ownedTo))
                {
                    found.Add(new PublishedSecret(match, fullPath, relativePath, match.Line == 0 ? 0 : linesBefore + match.Line, match.Column, null));
                }
            }

            if (eof)
            {
                break;
            }

            var keep = Math.Min(text.Length, 2 * overlap);
            linesBefore += Count(text, '\n', 0, text.Length - keep);
            tail = text.Substring(text.Length - keep);
            first = false;
        }
    }

    private static int Count(string text, char c, int start, int end)
    {
        var n = 0;
        for (var i = text.IndexOf(c, start, end - start); i >= 0 && i < end; i = i + 1 < end ? text.IndexOf(c, i + 1, end - i - 1) : -1)
        {
            n++;
        }

        return n;
    }

    /// <summary>UTF-8 unless a byte order mark says UTF-16 (invalid bytes become U+FFFD, never an exception).</summary>
    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
