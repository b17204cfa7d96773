using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;

namespace ContainerSdk.Images.Verification;

/// <summary>Where the blobs are: the outer tar (indexed once) or a folder.</summary>
internal sealed partial class ImageArchive
{
    private interface IBlobStore : IDisposable
    {
        bool Exists(string name);

        /// <summary>A seekable stream at position 0; the caller disposes it.</summary>
        Stream Open(string name);
    }

    /// <summary>
    /// The outer tar, indexed in one pass. On a seekable file, TarReader skips each entry's data and hands out a
    /// seekable view of it that stays valid while the reader is open (it re-seeks on every read).
    /// </summary>
    private sealed class TarBlobStore : IBlobStore
    {
        private readonly FileStream file;
        private readonly TarReader reader;
        private readonly Dictionary<string, TarEntry> entries = new(StringComparer.Ordinal);

        private TarBlobStore(FileStream file, TarReader reader)
        {
            this.file = file;
            this.reader = reader;
        }

        public static TarBlobStore Create(string path)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            try
            {
                Span<byte> magic = stackalloc byte[4];
                var n = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
                file.Position = 0;
                if (n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B)
                {
                    throw new ImageArchiveException(path, "it is gzip-compressed (e.g. `docker save | gzip`); decompress it first");
                }

                if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD)
                {
                    throw new ImageArchiveException(path, "it is zstd-compressed; decompress it first");
                }

                var store = new TarBlobStore(file, new TarReader(file, leaveOpen: true));
                try
                {
                    store.Index();
                }
                catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or InvalidOperationException or ArgumentException)
                {
                    throw new ImageArchiveException(path, "it is not a tar archive: " + e.Message, e);
                }

                if (store.entries.Count == 0)
                {
                    throw new ImageArchiveException(path, "it is not a tar archive, or an empty one");
                }

                return store;
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        private void Index()
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                var name = Normalize(entry.Name);
                if (name.Length > 0)
                {
                    entries[name] = entry;
                }
            }
        }

        public bool Exists(string name) => Resolve(name) is not null;

        public Stream Open(string name)
        {
            var entry = Resolve(name) ?? throw new FileNotFoundException($"the archive has no '{name}'");
            if (entry.DataStream is not { } data)
            {
                return new MemoryStream([], writable: false);
            }

            data.Position = 0;
            return new NonDisposingStream(data);
        }

        /// <summary>Follows links: docker save links a layer that two images share to one copy.</summary>
        private TarEntry? Resolve(string name)
        {
            name = Normalize(name);
            for (var hops = 0; hops < 16; hops++)
            {
                if (!entries.TryGetValue(name, out var entry))
                {
                    return null;
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.SymbolicLink:
                        var dir = name.LastIndexOf('/') is var slash and >= 0 ? name.Substring(0, slash + 1) : "";
                        name = Normalize(entry.LinkName.StartsWith("/", StringComparison.Ordinal) ? entry.LinkName : dir + entry.LinkName);
                        continue;
                    case TarEntryType.HardLink:
                        name = Normalize(entry.LinkName);
                        continue;
                    case TarEntryType.RegularFile:
                    case TarEntryType.V7RegularFile:
                    case TarEntryType.ContiguousFile:
                        return entry;
                    default:
                        return null;
                }
            }

            return null;
        }

        public void Dispose()
        {
            reader.Dispose();
            file.Dispose();
        }
    }

    private sealed class DirectoryBlobStore(string root) : IBlobStore
    {
        public bool Exists(string name) => File.Exists(Full(name));

        public Stream Open(string name) =>
            new FileStream(Full(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

        private string Full(string name) => Path.Combine(root, Normalize(name));

        public void Dispose()
        {
        }
    }

    /// <summary>Hands out a stream the store owns: disposing the view leaves it open.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
