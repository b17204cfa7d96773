using System.Text;
using ContainerSdk.Tests.SecretCorpus;

namespace ContainerSdk.Secrets.Tests;

/// <summary>The file scanner on streams, as the publish scan (files) and the image verifier (tar entries) call it.</summary>
public class SecretFileScannerTests
{
    private static readonly CorpusRandom R = new(77);

    private static (List<PublishedSecret> Found, List<SkippedFile> Skipped) Scan(byte[] bytes, string path, long maxTextBytes = 100L << 20, bool seekable = true)
    {
        var found = new List<PublishedSecret>();
        var skipped = new List<SkippedFile>();
        using var stream = seekable ? new MemoryStream(bytes, writable: false) : new ForwardOnly(bytes);
        SecretFileScanner.Scan(stream, path, bytes.Length, maxTextBytes, found, skipped);
        return (found, skipped);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_secret_across_the_chunk_boundary_is_found_once_at_its_line_in_a_seekable_or_forward_only_stream(bool seekable)
    {
        var text = new StringBuilder();
        var line = 1;
        while (text.Length < (1 << 20) - 200)
        {
            text.Append("line ").Append(line++).Append(' ').Append(R.Letters(60)).Append('\n');
        }

        // The token starts 13 characters before the first 1M-character chunk ends, and ends after it.
        text.Append('b', (1 << 20) - 20 - text.Length - 1).Append('\n');
        line++;

        var token = "gh" + "p_" + R.Alnum(36);
        text.Append("token: ").Append(token).Append('\n');
        var tokenLine = line;
        for (var i = 0; i < 1000; i++)
        {
            text.Append(R.Letters(60)).Append('\n');
        }

        var (found, skipped) = Scan(Encoding.UTF8.GetBytes(text.ToString()), "data/big.log", seekable: seekable);
        found.Select(f => (f.Match.Rule.Id, f.Line, f.RelativePath, f.PublishedPath)).ShouldBe([("CSDK3203", tokenLine, "data/big.log", "data/big.log")]);
        skipped.ShouldBeEmpty();
    }

    [Fact]
    public void Binaries_are_read_by_name_only_and_an_oversized_text_up_to_the_limit()
    {
        var pfx = Scan(R.RawBytes(4096), "certs/site.pfx");
        pfx.Found.ShouldHaveSingleItem().Match.Rule.Id.ShouldBe("CSDK3102");
        pfx.Skipped.ShouldHaveSingleItem().Reason.ShouldBe("binary");

        var model = Scan([0, 1, 2, 0, .. Encoding.UTF8.GetBytes("token: " + "gh" + "p_" + R.Alnum(36))], "model.onnx");
        model.Found.ShouldBeEmpty();

        var token = "np" + "m_" + R.Alnum(36);
        var big = Encoding.UTF8.GetBytes("token " + token + "\n" + new string('a', 3 << 20) + "\ntoken " + token + "\n");
        var (found, skipped) = Scan(big, "big.log", maxTextBytes: 2 << 20);
        found.ShouldHaveSingleItem().Line.ShouldBe(1);
        skipped.ShouldHaveSingleItem().Truncated.ShouldBeTrue();
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x42, 0x0A }, false)]
    [InlineData(new byte[] { 0x41, 0x00, 0x42 }, true)]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x41, 0x00 }, false)]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x41 }, true)]
    public void Nul_bytes_or_many_control_characters_mean_binary_but_utf16_is_text(byte[] head, bool binary) =>
        SecretFileScanner.IsBinary(head).ShouldBe(binary);

    /// <summary>A tar entry of a gzip layer: read once, forward only.</summary>
    private sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
