using System.Text;

namespace ContainerSdk.Package.Tests;

/// <summary>Reads DT_NEEDED entries of a 64-bit little-endian ELF shared object (what `readelf -d` lists as NEEDED).</summary>
public static class ElfReader
{
    public static IReadOnlyList<string> Needed(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        reader.ReadBytes(4).ShouldBe(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' });
        reader.ReadByte().ShouldBe((byte)2, "ELFCLASS64");
        reader.ReadByte().ShouldBe((byte)1, "little endian");
        stream.Position = 0x28;
        long sectionHeaders = reader.ReadInt64();
        stream.Position = 0x3A;
        int sectionSize = reader.ReadUInt16();
        int sectionCount = reader.ReadUInt16();

        var sections = new List<(uint Type, long Offset, long Size, uint Link)>();
        for (int i = 0; i < sectionCount; i++)
        {
            stream.Position = sectionHeaders + (long)i * sectionSize;
            reader.ReadUInt32();
            uint type = reader.ReadUInt32();
            reader.ReadUInt64();
            reader.ReadUInt64();
            long offset = reader.ReadInt64();
            long size = reader.ReadInt64();
            uint link = reader.ReadUInt32();
            sections.Add((type, offset, size, link));
        }

        const uint SHT_DYNAMIC = 6;
        var dynamic = sections.Single(s => s.Type == SHT_DYNAMIC);
        var strings = sections[(int)dynamic.Link];
        var needed = new List<string>();
        for (long at = dynamic.Offset; at < dynamic.Offset + dynamic.Size; at += 16)
        {
            stream.Position = at;
            long tag = reader.ReadInt64();
            long value = reader.ReadInt64();
            if (tag == 0)
            {
                break;
            }

            if (tag == 1)
            {
                stream.Position = strings.Offset + value;
                var bytes = new List<byte>();
                int b;
                while ((b = stream.ReadByte()) > 0)
                {
                    bytes.Add((byte)b);
                }

                needed.Add(Encoding.ASCII.GetString(bytes.ToArray()));
            }
        }

        return needed;
    }
}
