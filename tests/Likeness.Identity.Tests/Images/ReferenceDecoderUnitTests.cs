using Likeness.Core.Errors;
using Likeness.Identity.Images;
using Likeness.Testing;
using SkiaSharp;

namespace Likeness.Identity.Tests.Images;

public sealed class ReferenceDecoderUnitTests
{
    private readonly ReferenceDecoder decoder = new(new ReferenceImageOptions());

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, EncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg, EncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp, EncodedImageFormat.Webp)]
    public void Check_AcceptedFormat_DecodesWithItsSize(SKEncodedImageFormat encoding, EncodedImageFormat expected)
    {
        using var reference = decoder.Check(new ReferenceImage(TestImages.Face(1, 300, 200, encoding)), 0);

        Assert.Equal(expected, reference.Format);
        Assert.Equal((300, 200), (reference.Width, reference.Height));
    }

    [Fact]
    public void Check_LargeImage_WorkingCopyIsBoundedButSizeIsReported()
    {
        using var reference = decoder.Check(new ReferenceImage(TestImages.Face(1, 2000, 1000, SKEncodedImageFormat.Jpeg)), 0);

        Assert.Equal((2000, 1000), (reference.Width, reference.Height));
        Assert.True(Math.Max(reference.Working.Width, reference.Working.Height) <= ReferenceDecoder.WorkingSide);
    }

    [Fact]
    public void Check_Empty_NamesTheField() =>
        AssertRefused(ReadOnlyMemory<byte>.Empty, 3, "references[3].data", "is empty");

    [Fact]
    public void Check_NotAnImage_SaysSo() =>
        AssertRefused("GIF89a not accepted"u8.ToArray(), 0, "references[0].data", "not a PNG, JPEG or WebP");

    [Fact]
    public void Check_TruncatedPng_SaysIncomplete() =>
        AssertRefused(TestImages.Truncated(TestImages.Face(2)), 1, "references[1].data", "is an incomplete Png: it ends before its IEND chunk");

    [Fact]
    public void Check_HeaderDeclaring30000x30000_IsRefusedBeforeDecoding()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);

        AssertRefused(TestImages.PngDeclaring(30000, 30000), 0, "references[0].data", "declares 30000×30000");

        // A decode would have needed 3.6 GB; the refusal must come from the header alone.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 * 1024 * 1024);
    }

    [Fact]
    public void Check_OnePixel_IsBelowTheMinimumSize() =>
        AssertRefused(Encode(1, 1), 0, "references[0].data", "at least 64 px");

    [Fact]
    public void Check_OverByteLimit_IsRefused()
    {
        var small = new ReferenceDecoder(new ReferenceImageOptions { MaxReferenceBytes = 1000 });
        var error = Assert.Throws<LikenessException>(() => small.Check(new ReferenceImage(TestImages.Face(1)), 0));
        Assert.Contains("the limit is 1000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DeclaredFormatDisagrees_NamesTheFormatField() =>
        Assert.Equal("references[0].format", Assert.Throws<LikenessException>(() =>
            decoder.Check(new ReferenceImage(TestImages.Face(1), EncodedImageFormat.Jpeg), 0)).Field);

    private void AssertRefused(ReadOnlyMemory<byte> data, int index, string field, string message)
    {
        var error = Assert.Throws<LikenessException>(() => decoder.Check(new ReferenceImage(data), index));
        Assert.Equal(LikenessErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static byte[] Encode(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
