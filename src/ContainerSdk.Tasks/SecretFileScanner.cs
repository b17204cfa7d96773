using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using ContainerSdk.Secrets;

namespace ContainerSdk.Tasks;

/// <summary>A secret found in a published file, located both in the publish folder and (when known) in the project.</summary>
internal sealed record PublishedSecret(
    SecretMatch Match,
    string PublishedPath,
    string RelativePath,
    int Line,
    int Column,
    string? Member);

/// <summary>Why a file was not (fully) read; logged, and the oversized case becomes CSDK3003.</summary>
internal sealed record SkippedFile(string RelativePath, string Reason, long Bytes, bool Truncated, bool Failed = false);

/// <summary>
/// Reads one published file the cheapest way that still finds what ships: names only for binaries (a 300 MB model
/// costs one 8 KB read), a bounded-memory chunked stream for text, and for .NET assemblies the user-string heap,
/// string constants and embedded text resources through System.Reflection.Metadata (the IL is never read).
/// </summary>
internal static class SecretFileScanner
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

    /// <summary>
    /// String literals (#US heap: every ldstr, so every used const and literal), string constants (const fields that
    /// no code reads) and embedded text resources of a .NET assembly. Native PE files have no metadata and are skipped.
    /// </summary>
    /// <returns>False when the file only starts like a PE image (a text file beginning with "MZ"): read it as a file.</returns>
    private static bool TryScanAssembly(Stream stream, string fullPath, string relativePath, List<PublishedSecret> found, List<SkippedFile> skipped)
    {
        stream.Position = 0;
        using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
        try
        {
            if (!pe.HasMetadata)
            {
                skipped.Add(new SkippedFile(relativePath, "native binary", stream.Length, false));
                return true;
            }

            _ = pe.PEHeaders.CorHeader;
        }
        catch (BadImageFormatException)
        {
            stream.Position = 0;
            return false;
        }

        var md = pe.GetMetadataReader();
        var strings = new List<string>();
        var heapSize = md.GetHeapSize(HeapIndex.UserString);
        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil && MetadataTokens.GetHeapOffset(handle) < heapSize; handle = md.GetNextHandle(handle))
        {
            var s = md.GetUserString(handle);
            if (s.Length >= 8)
            {
                strings.Add(s);
            }
        }

        var constants = md.GetTableRowCount(TableIndex.Constant);
        for (var row = 1; row <= constants; row++)
        {
            var constant = md.GetConstant(MetadataTokens.ConstantHandle(row));
            if (constant.TypeCode == ConstantTypeCode.String && !constant.Value.IsNil)
            {
                var blob = md.GetBlobReader(constant.Value);
                if (blob.Length >= 16)
                {
                    strings.Add(blob.ReadUTF16(blob.Length));
                }
            }
        }

        ScanStrings(strings, fullPath, relativePath, found);
        ScanResources(pe, md, fullPath, relativePath, found);
        return true;
    }

    /// <summary>All strings of an assembly as one text, one per line: one keyword pass instead of one per string.</summary>
    private static void ScanStrings(List<string> strings, string fullPath, string relativePath, List<PublishedSecret> found)
    {
        if (strings.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in strings)
        {
            if (seen.Add(s))
            {
                text.Append(s.Replace('\n', ' ').Replace('\r', ' ')).Append('\n');
            }
        }

        AddAll(found, SecretScanner.Scan(text.ToString(), SecretSource.ForAssembly(relativePath)), fullPath, relativePath, "a string constant", 0);
    }

    private static void ScanResources(PEReader pe, MetadataReader md, string fullPath, string relativePath, List<PublishedSecret> found)
    {
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory;
        if (directory is null || directory.Value.Size == 0)
        {
            return;
        }

        foreach (var handle in md.ManifestResources)
        {
            var resource = md.GetManifestResource(handle);
            if (!resource.Implementation.IsNil)
            {
                continue;
            }

            var name = md.GetString(resource.Name);
            var source = SecretSource.ForFile(name);
            var block = pe.GetSectionData(directory.Value.RelativeVirtualAddress);
            if (resource.Offset + 4 > block.Length)
            {
                continue;
            }

            var reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            var size = reader.ReadInt32();
            var member = "embedded resource '" + SecretRedactor.Printable(name, 120) + "'";
            if (size <= 0 || size > MaxResourceBytes || size > reader.RemainingBytes)
            {
                AddAll(found, SecretScanner.Scan(null, source), fullPath, relativePath, member, 0);
                continue;
            }

            var bytes = reader.ReadBytes(size);
            if (source.FileName.EndsWith(".resources", StringComparison.OrdinalIgnoreCase))
            {
                ScanResourceEntries(bytes, name, fullPath, relativePath, found);
                continue;
            }

            var text = IsBinary(bytes.AsSpan(0, Math.Min(bytes.Length, SniffBytes))) || SecretFileNames.IsKnownBinary(source.FileName)
                ? null
                : Decode(bytes);
            AddAll(found, SecretScanner.Scan(text, source), fullPath, relativePath, member, 0);
        }
    }

    /// <summary>
    /// A compiled .resx (in the assembly itself or in a satellite assembly): its strings are scanned as the assembly's
    /// own strings are (the token rules), the ones that are a single ASCII word also as name=value lines (the
    /// secret-named-key rule: a DbPassword entry is a key), and byte[]/stream entries (files a .resx linked in) as
    /// files of their own. Resource strings are mostly localized prose, which the key rule must not read as values.
    /// Nothing is deserialized: see <see cref="ResourcesReader"/>.
    /// </summary>
    private static void ScanResourceEntries(byte[] bytes, string resourceName, string fullPath, string relativePath, List<PublishedSecret> found)
    {
        var printable = SecretRedactor.Printable(resourceName, 120);
        var values = new ResourceLines(SecretSource.ForAssembly(resourceName));
        var pairs = new ResourceLines(SecretSource.ForFile(resourceName + ".ini"));
        foreach (var entry in ResourcesReader.Read(bytes))
        {
            if (entry.Text is not null)
            {
                var text = entry.Text.Replace('\n', ' ').Replace('\r', ' ');
                values.Add(entry.Name, text);
                if (text.Length > 0 && text.All(c => c > ' ' && c < 0x7F))
                {
                    pairs.Add(entry.Name, entry.Name.Replace('\n', ' ').Replace('\r', ' ').Replace('=', ' ') + " = " + text);
                }
            }
            else if (entry.Bytes is not null)
            {
                var entrySource = SecretSource.ForFile(entry.Name);
                var text = IsBinary(entry.Bytes.AsSpan(0, Math.Min(entry.Bytes.Length, SniffBytes))) || SecretFileNames.IsKnownBinary(entrySource.FileName)
                    ? null
                    : Decode(entry.Bytes);
                AddAll(found, SecretScanner.Scan(text, entrySource), fullPath, relativePath,
                    "resource '" + SecretRedactor.Printable(entry.Name, 120) + "' in '" + printable + "'", 0);
            }
        }

        // A token under a secret-looking name is found by both passes: it is reported once, by the first.
        var seen = new HashSet<(string Rule, string Entry)>();
        foreach (var lines in new[] { values, pairs })
        {
            foreach (var (m, entry) in lines.Scan())
            {
                if (seen.Add((m.Rule.Id, entry)))
                {
                    found.Add(new PublishedSecret(m, fullPath, relativePath, 0, 0,
                        "resource '" + SecretRedactor.Printable(entry, 120) + "' in '" + printable + "'"));
                }
            }
        }
    }

    /// <summary>Resource strings, one per line, scanned in one pass; a match's line names its entry.</summary>
    private sealed class ResourceLines(SecretSource source)
    {
        private readonly StringBuilder text = new();
        private readonly List<string> names = new();

        public void Add(string name, string line)
        {
            names.Add(name);
            text.Append(line).Append('\n');
        }

        public IEnumerable<(SecretMatch Match, string Entry)> Scan()
        {
            if (names.Count == 0)
            {
                yield break;
            }

            foreach (var m in SecretScanner.Scan(text.ToString(), source))
            {
                yield return (m, m.Line >= 1 && m.Line <= names.Count ? names[m.Line - 1] : "?");
            }
        }
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

    private static void AddAll(List<PublishedSecret> found, List<SecretMatch> matches, string fullPath, string relativePath, string? member, int lineOffset)
    {
        foreach (var m in matches)
        {
            var inFile = member is null;
            found.Add(new PublishedSecret(m, fullPath, relativePath, inFile ? lineOffset + m.Line : 0, inFile ? m.Column : 0, member));
        }
    }

    /// <summary>The bytes already read from a forward-only stream, then the rest of it.</summary>
    private sealed class PrefixedStream(byte[] head, Stream rest) : ForwardReadStream
    {
        private int offset;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (this.offset < head.Length)
            {
                var n = Math.Min(count, head.Length - this.offset);
                Array.Copy(head, this.offset, buffer, offset, n);
                this.offset += n;
                return n;
            }

            return rest.Read(buffer, offset, count);
        }
    }

    /// <summary>Reads at most <c>limit</c> bytes of the inner stream, so an oversized text file costs a bounded read.</summary>
    private sealed class BoundedStream(Stream inner, long limit) : ForwardReadStream
    {
        private long remaining = limit;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (remaining <= 0)
            {
                return 0;
            }

            var n = inner.Read(buffer, offset, (int)Math.Min(count, remaining));
            remaining -= n;
            return n;
        }
    }

    /// <summary>A read-only, forward-only view over a stream the caller owns: the wrappers above only implement Read.</summary>
    private abstract class ForwardReadStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            // The caller owns the inner stream.
        }
    }
}
