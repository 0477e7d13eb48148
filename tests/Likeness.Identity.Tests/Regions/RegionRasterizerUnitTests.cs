using Likeness.Identity.Regions;

namespace Likeness.Identity.Tests.Regions;

public sealed class RegionRasterizerUnitTests
{
    [Fact]
    public void Rasterize_FixedLeftHalf_CoversTheLeftColumnsOfEveryFrame()
    {
        var grid = RegionRasterizer.Rasterize(new RegionTrack(new NormalizedBox(0, 0, 0.5f, 1), []), frames: 2, rows: 2, columns: 4);

        Assert.Equal([1f, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0], grid);
    }

    [Fact]
    public void Rasterize_Keyframes_MoveTheBoxAcrossTheClip()
    {
        var track = new RegionTrack(default, [(0f, new NormalizedBox(0, 0, 0.25f, 1)), (1f, new NormalizedBox(0.75f, 0, 0.25f, 1))]);

        var grid = RegionRasterizer.Rasterize(track, frames: 2, rows: 1, columns: 4);

        Assert.Equal([1f, 0, 0, 0, 0, 0, 0, 1], grid);
        Assert.Equal(new NormalizedBox(0.375f, 0, 0.25f, 1), track.At(0.5f));
    }

    [Fact]
    public void Rasterize_BoxSmallerThanAPatch_StillOwnsThePatchUnderItsCentre()
    {
        var grid = RegionRasterizer.Rasterize(new RegionTrack(new NormalizedBox(0.6f, 0.6f, 0.01f, 0.01f), []), frames: 1, rows: 2, columns: 2);

        Assert.Equal([0f, 0, 0, 1], grid);
    }
}
