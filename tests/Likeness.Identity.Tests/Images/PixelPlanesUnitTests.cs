using Likeness.Identity.Images;

namespace Likeness.Identity.Tests.Images;

public sealed class PixelPlanesUnitTests
{
    [Fact]
    public void FromInterleaved_Rgba_GivesChannelMajorPlanesInMinusOneToOne_WithoutAlpha()
    {
        byte[] rgba = [0, 255, 51, 9, 255, 0, 204, 9];

        var planes = PixelPlanes.FromInterleaved(rgba, bytesPerPixel: 4);

        Assert.Equal([-1f, 1f, 1f, -1f, 0.4f - 1f, 1.6f - 1f], planes, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void FromInterleaved_RgbAndRgbaOfTheSameImage_Agree()
    {
        byte[] rgb = [10, 20, 30, 40, 50, 60];
        byte[] rgba = [10, 20, 30, 255, 40, 50, 60, 255];

        Assert.Equal(PixelPlanes.FromInterleaved(rgb, bytesPerPixel: 3), PixelPlanes.FromInterleaved(rgba, bytesPerPixel: 4));
    }
}
