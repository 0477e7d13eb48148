using Likeness.Identity.Images;

namespace Likeness.Identity.Tests.Images;

public sealed class ImageSignatureUnitTests
{
    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, EncodedImageFormat.Png)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, EncodedImageFormat.Jpeg)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50 }, EncodedImageFormat.Webp)]
    public void Sniff_KnownSignature_ReturnsItsFormat(byte[] data, EncodedImageFormat expected) =>
        Assert.Equal(expected, ImageSignature.Sniff(data));

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 })]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x41, 0x56, 0x49, 0x20 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E })]
    public void Sniff_OtherBytes_ReturnsNull(byte[] data) => Assert.Null(ImageSignature.Sniff(data));
}
