namespace Likeness.Media.Tests;

public sealed class FrameImagesUnitTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(8, 4)]
    [InlineData(16, 4)]
    [InlineData(6, 3)]
    [InlineData(7, 3)] // prime: the last row one short
    public void GridColumns_FillEveryRowWhenTheCountAllows(int frames, int columns) =>
        Assert.Equal(columns, FrameImages.GridColumns(frames));

    [Fact]
    public void ContactSheet_OfEightFrames_IsFourByTwoWithNoEmptyCell()
    {
        var frames = Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((byte)(30 * (i + 1)), 4 * 4 * 3).ToArray()).ToList();

        var (rgb, width, height) = FrameImages.DecodeRgb(FrameImages.ContactSheet(frames, 4, 4, tileSide: 4));

        Assert.Equal((16, 8), (width, height));
        Assert.Equal(240, rgb[((7 * width) + 15) * 3]); // the last cell holds the eighth frame, not black
    }
}
