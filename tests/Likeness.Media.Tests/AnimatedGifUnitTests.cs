using SkiaSharp;

namespace Likeness.Media.Tests;

public sealed class AnimatedGifUnitTests
{
    [Theory]
    [InlineData(8, 8, 3)]
    [InlineData(64, 64, 8)]
    [InlineData(97, 31, 2)]
    public void Encode_DecodesBackToEveryFrameWithinThePalettesPrecision(int width, int height, int count)
    {
        var random = new Random(width * height);
        var frames = Enumerable.Range(0, count).Select(_ =>
        {
            var rgb = new byte[width * height * 3];
            random.NextBytes(rgb);
            return rgb;
        }).ToList();

        var gif = AnimatedGif.Encode(frames, width, height, fps: 8);

        using var codec = SKCodec.Create(new SKMemoryStream(gif));
        Assert.Equal(count, codec.FrameCount);
        Assert.Equal(-1, codec.RepetitionCount); // Skia reports a forever loop as -1
        for (var f = 0; f < count; f++)
        {
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var bitmap = new SKBitmap(info);
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(f)));
            var pixels = bitmap.GetPixelSpan().ToArray();
            for (var i = 0; i < width * height; i += 7)
            {
                // The nearest cube colour is at most 25 off per channel; a grey is chosen only when it is closer overall.
                var error = Enumerable.Range(0, 3).Sum(c => Math.Abs(pixels[(i * 4) + c] - frames[f][(i * 3) + c]));
                Assert.InRange(error, 0, 75);
            }
        }
    }
}
