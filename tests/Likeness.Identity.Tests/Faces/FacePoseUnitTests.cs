using Likeness.Identity.Faces;
using Likeness.Model.Faces;

namespace Likeness.Identity.Tests.Faces;

public sealed class FacePoseUnitTests
{
    [Fact]
    public void Yaw_FrontalFace_IsZero() =>
        Assert.Equal(0f, FacePose.Yaw(Face(noseOffset: 0)), 4);

    [Theory]
    [InlineData(0.2f)]
    [InlineData(-0.5f)]
    public void Yaw_NoseOffAlongTheEyeLine_IsTheOffsetInEyeDistances(float offset) =>
        Assert.Equal(offset, FacePose.Yaw(Face(offset)), 4);

    [Theory]
    [InlineData(30f, 1f)]
    [InlineData(-75f, 3.5f)]
    [InlineData(180f, 0.25f)]
    public void Yaw_RolledAndScaled_StaysTheSame(float rollDegrees, float scale)
    {
        var upright = FacePose.Yaw(Face(0.4f));

        var turned = FacePose.Yaw(Face(0.4f, rollDegrees, scale));

        Assert.Equal(upright, turned, 4);
    }

    [Fact]
    public void Yaw_EyesOnOnePoint_IsZero()
    {
        var p = new PixelPoint(10, 10);
        Assert.Equal(0f, FacePose.Yaw(new FaceLandmarks(p, p, new(30, 40), new(10, 50), p, p)));
    }

    [Fact]
    public void TurnedYaw_IsAThirdOfTheEyeDistance() => Assert.InRange(FacePose.TurnedYaw, 0.3f, 0.36f);

    /// <summary>
    /// A face with eyes 40 px apart (the subject's right eye on the image's left), the nose tip <paramref name="noseOffset"/>
    /// eye distances along the eye line and 25 px below it, rolled about the eyes' midpoint and scaled.
    /// </summary>
    private static FaceLandmarks Face(float noseOffset, float rollDegrees = 0, float scale = 1)
    {
        var (sin, cos) = MathF.SinCos(rollDegrees * MathF.PI / 180);
        PixelPoint P(float x, float y) => new(200 + (scale * ((x * cos) - (y * sin))), 150 + (scale * ((x * sin) + (y * cos))));
        return new FaceLandmarks(
            RightEye: P(-20, 0), LeftEye: P(20, 0), NoseTip: P(40 * noseOffset, 25), Mouth: P(0, 45), RightEar: P(-45, 10), LeftEar: P(45, 10));
    }
}
