using System;
using System.Collections.Generic;
using System.IO;

namespace ContainerSdk.Secrets;

/// <summary>
/// Reads one published file the cheapest way that still finds what ships: names only for binaries (a 300 MB model
/// costs one 8 KB read), a bounded-memory chunked stream for text, and for .NET assemblies the user-string heap,
/// string constants and embedded text resources through System.Reflection.Metadata (the IL is never read).
/// </summary>
public static partial class SecretFileScanner
{
    private const int SniffBytes = 8192;
    private const int ChunkChars = 1 << 20;
    private const long MaxResourceBytes = 16L << 20;
    private const int SmallFileBytes = 1 << 20;
    private const long MaxSpoolInMemoryBytes = 64L << 20;

    public static void Scan(string fullPath, string relativePath, long maxTextBytes, List<PublishedSecret> found, List<SkippedFile> skipped)
    {
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        Scan(stream, relativePath, stream.Length, maxTextBytes, found, skipped, fullPath);
    }

    /// <summary>
    /// Scans <paramref name="length"/> bytes of <paramref name="stream"/>: a file of a publish folder, or a file inside an
    /// image layer. A seekable stream must start at position 0 (a FileStream, a tar entry of a seekable archive); a
    /// forward-only one (a tar entry in a gzip layer) is read once, and only an assembly over 1 MB is buffered so its
    /// metadata can be read (in memory up to 64 MB, else in a temporary file).
    /// </summary>
    /// <param name="reportedPath">What <see cref="PublishedSecret.PublishedPath"/> carries; <paramref name="relativePath"/> when null.</param>
    public static void Scan(Stream stream, string relativePath, long length, long maxTextBytes, List<PublishedSecret> found, List<SkippedFile> skipped, string? reportedPath = null)
    {
        var fullPath = reportedPath ?? relativePath;
        var source = SecretSource.ForFile(relativePath);
        if (length <= SmallFileBytes && length <= maxTextBytes)
        {
            // Most published files are small: one read, sniffed and decoded in memory.
            var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Max(1, length));
            try
            {
                var read = stream.ReadAtLeast(bytes.AsSpan(0, (int)length), (int)length, throwOnEndOfStream: false);
                var content = bytes.AsSpan(0, read);
                if (content.Length >= 2 && content[0] == (byte)'M' && content[1] == (byte)'Z' && TryScanAssembly(stream.CanSeek ? stream : new MemoryStream(bytes, 0, read, writable: false), fullPath, relativePath, found, skipped))
                {
                    AddAll(found, SecretScanner.Scan(null, source), fullPath, relativePath, null, 0);
                }
                else if (IsBinary(content[..Math.Min(content.Length, SniffBytes)]) || SecretFileNames.IsKnownBinary(source.FileName))
                {
                    AddAll(found, SecretScanner.Scan(null, source), fullPath, relativePath, null, 0);
                    skipped.Add(new SkippedFile(relativePath, "binary", length, false));
                }
                else
                {
                    AddAll(found, SecretScanner.Scan(Decode(content), source), fullPath, relativePath, null, 0);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
            }

            return;
        }

        var head = new byte[(int)Math.Min(SniffBytes, length)];
        stream.ReadExactly(head);
        if (stream.CanSeek)
        {
            stream.Position = 0;
        }

        if (head.Length >= 2 && head[0] == (byte)'M' && head[1] == (byte)'Z')
        {
            // PEReader seeks: a forward-only stream is buffered first (an assembly, so tens of MB at most).
            using var spooled = stream.CanSeek ? null : Spool(head, stream, length);
            if (TryScanAssembly(spooled ?? stream, fullPath, relativePath, found, skipped))
            {
                AddAll(found, SecretScanner.Scan(null, source), fullPath, relativePath, null, 0);
                return;
            }

            if (spooled is not null)
            {
                // Not a PE image after all, and the stream is spent: read the text from the copy.
                spooled.Position = 0;
                ScanRest(spooled, head, length, source, fullPath, relativePath, maxTextBytes, found, skipped);
                return;
            }
        }

        if (stream.CanSeek)
        {
            stream.Position = 0;
            ScanRest(stream, head, length, source, fullPath, relativePath, maxTextBytes, found, skipped);
        }
        else
        {
            using var whole = new PrefixedStream(head, stream);
            ScanRest(whole, head, length, source, fullPath, relativePath, maxTextBytes, found, skipped);
        }
    }

    /// <summary>The large-file path after the assembly check: names only for binaries, else the text in chunks.</summary>
    private static void ScanRest(Stream stream, byte[] head, long length, SecretSource source, string fullPath, string relativePath, long maxTextBytes, List<PublishedSecret> found, List<SkippedFile> skipped)
    {
        if (IsBinary(head) || SecretFileNames.IsKnownBinary(source.FileName))
        {
            // Name rules still apply: a .pfx is a secret without being read.
            AddAll(found, SecretScanner.Scan(null, source), fullPath, relativePath, null, 0);
            skipped.Add(new SkippedFile(relativePath, "binary", length, false));
            return;
        }

        ScanText(stream, length, source, fullPath, relativePath, maxTextBytes, found);
        if (length > maxTextBytes)
        {
            skipped.Add(new SkippedFile(relativePath, "larger than the limit", length, true));
        }
    }

    /// <summary>A seekable copy of a forward-only stream whose first bytes were already read into <paramref name="head"/>.</summary>
    private static Stream Spool(byte[] head, Stream rest, long length)
    {
        Stream copy = length <= MaxSpoolInMemoryBytes
            ? new MemoryStream((int)length)
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            copy.Write(head, 0, head.Length);
            CopyBytes(rest, copy, length - head.Length);
            copy.Position = 0;
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    private static void CopyBytes(Stream from, Stream to, long count)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (count > 0)
            {
                var n = from.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
                if (n == 0)
                {
                    break;
                }

                to.Write(buffer, 0, n);
                count -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AddAll(List<PublishedSecret> found, List<SecretMatch> matches, string fullPath, string relativePath, string? member, int lineOffset)
    {
        foreach (var m in matches)
        {
            var inFile = member is null;
            found.Add(new PublishedSecret(m, fullPath, relativePath, inFile ? lineOffset + m.Line : 0, inFile ? m.Column : 0, member));
        }
    }
}
