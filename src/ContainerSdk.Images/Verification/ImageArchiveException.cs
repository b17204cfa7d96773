using System;

namespace ContainerSdk.Images.Verification;

/// <summary>CSDK5014: the image archive cannot be read (not an archive, a missing blob, an unsupported compression).</summary>
public sealed class ImageArchiveException : Exception
{
    public ImageArchiveException(string path, string reason, Exception? inner = null)
        : base(ImageMessages.Format(ImageVerifier.ArchiveUnreadable, path, reason), inner)
    {
        ArchivePath = path;
        Reason = reason;
    }

    public string Code => ImageVerifier.ArchiveUnreadable;

    public string ArchivePath { get; }

    public string Reason { get; }
}
