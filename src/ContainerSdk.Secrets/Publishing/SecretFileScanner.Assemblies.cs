using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace ContainerSdk.Secrets;

/// <summary>.NET assemblies: their strings and constants, embedded files and compiled .resx entries, read from metadata.</summary>
public static partial class SecretFileScanner
{
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
}
