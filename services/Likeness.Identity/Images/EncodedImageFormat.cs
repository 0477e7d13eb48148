namespace Likeness.Identity.Images;

/// <summary>Reference image formats the encoder accepts.</summary>
public enum EncodedImageFormat
{
    Png,
    Jpeg,
    Webp,
}
