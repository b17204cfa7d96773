using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ContainerSdk.Secrets;

/// <summary>One entry of a .resources stream: a string, or the bytes of a byte[]/stream entry (a file a .resx linked in).</summary>
internal sealed record ResourceEntry(string Name, string? Text, byte[]? Bytes);

/// <summary>
/// Reads the string and byte entries of a compiled .resources stream (what a .resx becomes inside an assembly or a
/// satellite assembly) straight from the documented format (System.Resources.ResourceReader's): no type is loaded,
/// nothing is deserialized, and serialized objects (BinaryFormatter payloads) are skipped unread. Malformed input
/// ends the listing; it never throws.
/// </summary>
internal static class ResourcesReader
{
    private const uint Magic = 0xBEEFCACE;
    private const int MaxEntries = 1 << 20;

    // ResourceTypeCode (version 2 streams): the codes that carry text or file contents.
    private const int TypeString = 0x01;
    private const int TypeByteArray = 0x20;
    private const int TypeStream = 0x21;

    public static List<ResourceEntry> Read(byte[] data)
    {
        var entries = new List<ResourceEntry>();
        try
        {
            ReadInto(data, entries);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or OverflowException or DecoderFallbackException)
        {
            // A truncated or hostile stream: what was read so far still counts.
        }

        return entries;
    }

    private static void ReadInto(byte[] data, List<ResourceEntry> entries)
    {
        using var stream = new MemoryStream(data, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadUInt32() != Magic)
        {
            return;
        }

        _ = reader.ReadInt32(); // resource manager header version
        var skip = reader.ReadInt32(); // reader and resource set type names
        Seek(stream, stream.Position + skip);
        var version = reader.ReadInt32();
        if (version is not (1 or 2))
        {
            return;
        }

        var count = reader.ReadInt32();
        var typeCount = reader.ReadInt32();
        if (count < 0 || count > MaxEntries || typeCount < 0 || typeCount > MaxEntries)
        {
            return;
        }

        var types = new List<string>(Math.Min(typeCount, 1024));
        for (var i = 0; i < typeCount; i++)
        {
            types.Add(reader.ReadString());
        }

        // Padded to 8 bytes ("PAD" bytes) before the name hashes.
        var align = (int)(stream.Position & 7);
        if (align != 0)
        {
            Seek(stream, stream.Position + 8 - align);
        }

        Seek(stream, stream.Position + 4L * count); // name hashes
        var namePositions = new int[count];
        for (var i = 0; i < count; i++)
        {
            namePositions[i] = reader.ReadInt32();
        }

        var dataSection = reader.ReadInt32();
        var nameSection = stream.Position;
        for (var i = 0; i < count; i++)
        {
            Seek(stream, nameSection + namePositions[i]);
            var nameBytes = Read7BitInt(reader);
            if (nameBytes < 0 || nameBytes > stream.Length - stream.Position)
            {
                return;
            }

            var name = Encoding.Unicode.GetString(reader.ReadBytes(nameBytes));
            var dataOffset = reader.ReadInt32();
            Seek(stream, (long)dataSection + dataOffset);
            var code = Read7BitInt(reader);
            if (version == 1)
            {
                // Version 1 names the type: an index into the type table, -1 for null.
                var type = code >= 0 && code < types.Count ? types[code] : "";
                if (type.StartsWith("System.String,", StringComparison.Ordinal) || type == "System.String")
                {
                    entries.Add(new ResourceEntry(name, reader.ReadString(), null));
                }

                continue;
            }

            if (code == TypeString)
            {
                entries.Add(new ResourceEntry(name, reader.ReadString(), null));
            }
            else if (code is TypeByteArray or TypeStream)
            {
                var length = reader.ReadInt32();
                if (length >= 0 && length <= stream.Length - stream.Position)
                {
                    entries.Add(new ResourceEntry(name, null, reader.ReadBytes(length)));
                }
            }
        }
    }

    private static void Seek(Stream stream, long position)
    {
        if (position < 0 || position > stream.Length)
        {
            throw new EndOfStreamException();
        }

        stream.Position = position;
    }

    private static int Read7BitInt(BinaryReader reader)
    {
        int result = 0, shift = 0;
        while (shift < 35)
        {
            var b = reader.ReadByte();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
        }

        throw new OverflowException();
    }
}
