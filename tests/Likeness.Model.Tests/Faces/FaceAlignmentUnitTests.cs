using Likeness.Model.Faces;

namespace Likeness.Model.Tests.Faces;

public sealed class FaceAlignmentUnitTests
{
    private const int Side = 400;

    [Fact]
    public void Chip_RotatedScaledFace_PutsEachLandmarkOnItsTemplatePoint()
    {
        // A face whose landmarks are the template turned by 30°, scaled by 1.7 and moved; each landmark is a white dot.
        var (angle, scale, dx, dy) = (Math.PI / 6, 1.7, 90.0, 60.0);
        PixelPoint Place(PixelPoint p) => new(
            (float)((scale * ((Math.Cos(angle) * p.X) - (Math.Sin(angle) * p.Y))) + dx),
            (float)((scale * ((Math.Sin(angle) * p.X) + (Math.Cos(angle) * p.Y))) + dy));
        var points = FaceAlignment.Template.Select(Place).ToList();
        var rgba = new byte[Side * Side * 4];
        foreach (var p in points)
        {
            var offset = ((((int)p.Y) * Side) + (int)p.X) * 4;
            rgba[offset] = rgba[offset + 1] = rgba[offset + 2] = 255;
        }

        var landmarks = new FaceLandmarks(points[0], points[1], points[2], points[3], points[0], points[1]);
        var chip = FaceAlignment.Chip(rgba, Side, Side, landmarks);

        foreach (var t in FaceAlignment.Template)
        {
            var brightest = Enumerable.Range(0, FaceAlignment.ChipSize * FaceAlignment.ChipSize)
                .Where(i => Math.Abs((i % FaceAlignment.ChipSize) + 0.5 - t.X) < 4 && Math.Abs((i / FaceAlignment.ChipSize) + 0.5 - t.Y) < 4)
                .Max(i => chip[i]);
            Assert.True(brightest > 20, $"No landmark dot near the template point ({t.X}, {t.Y}).");
        }

        Assert.True(chip.Count(v => v > 20) < 200, "Only the dots are bright.");
    }

    [Fact]
    public void Chip_FaceAtTheCorner_FillsOutsidePixelsWithBlack()
    {
        var rgba = Enumerable.Repeat((byte)200, Side * Side * 4).ToArray();
        var landmarks = new FaceLandmarks(new(-5, 5), new(15, 5), new(5, 15), new(5, 30), new(-10, 5), new(20, 5));

        var chip = FaceAlignment.Chip(rgba, Side, Side, landmarks);

        Assert.Equal(0f, chip[0]);
        Assert.Equal(200f, chip[(FaceAlignment.ChipSize * FaceAlignment.ChipSize) - 1], 3f);
    }

    [Fact]
    public void Chip_WrongBufferOrCoincidentLandmarks_Throws()
    {
        var point = new PixelPoint(10, 10);
        var same = new FaceLandmarks(point, point, point, point, point, point);
        Assert.Throws<ArgumentException>(() => FaceAlignment.Chip(new byte[10], Side, Side, same));
        Assert.Throws<ArgumentException>(() => FaceAlignment.Chip(new byte[Side * Side * 4], Side, Side, same));
        var nan = same with { Mouth = new PixelPoint(float.NaN, 0) };
        Assert.Throws<ArgumentException>(() => FaceAlignment.Chip(new byte[Side * Side * 4], Side, Side, nan));
    }

    [Fact]
    public void ToRgba_Chip_RoundsClampsAndIsOpaque()
    {
        var chip = new float[3 * FaceAlignment.ChipSize * FaceAlignment.ChipSize];
        chip[0] = 300f;
        chip[FaceAlignment.ChipSize * FaceAlignment.ChipSize] = 12.6f;

        var rgba = FaceAlignment.ToRgba(chip);

        Assert.Equal([255, 13, 0, 255], rgba[..4]);
    }
}
