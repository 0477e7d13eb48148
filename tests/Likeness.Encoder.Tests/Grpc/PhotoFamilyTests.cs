using System.Globalization;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Identity.Faces;
using Likeness.Model.Faces;
using Likeness.Testing;
using SkiaSharp;
using Xunit.Abstractions;
using static Likeness.Encoder.Tests.Grpc.Requests;

namespace Likeness.Encoder.Tests.Grpc;

/// <summary>EncodeIdentity with IDENTITY_FAMILY_PHOTO over gRPC on the public-domain photos: BlazeFace's faces and the warnings it feeds.</summary>
public sealed class PhotoFamilyTests(EncoderFixture fixture, ITestOutputHelper output) : IClassFixture<EncoderFixture>
{
    private IdentityEncoder.IdentityEncoderClient Client => fixture.Encoder.Client;

    [Theory]
    [InlineData("astronaut")]
    [InlineData("grace_hopper")]
    public async Task Encode_PhotoFamily_ReportsBlazeFaceAndEveryFaceWithSixLandmarks(string photo)
    {
        var encoded = await Client.EncodeIdentityAsync(Photo(File.ReadAllBytes(PathOf(photo))));

        Assert.Equal(new long[] { 1, 128 }, encoded.Identity.TokenShape);
        Assert.StartsWith("likeness-photo-v1+", encoded.Identity.Model.ModelId, StringComparison.Ordinal);
        var quality = Assert.Single(encoded.Quality);
        Assert.Equal("blazeface", quality.FaceFinder);
        Assert.True(quality.SubjectFound);
        var face = Assert.Single(quality.Faces);
        Assert.Equal(face.Box, quality.SubjectBox);
        Assert.Equal(6, face.Landmarks.Count);
        Assert.InRange(face.Score, 0.5f, 1f);
        foreach (var point in face.Landmarks.Take(4)) // eyes, nose, mouth lie inside the box; ears may sit on its edge
        {
            Assert.InRange(point.X, face.Box.X, face.Box.X + face.Box.Width);
            Assert.InRange(point.Y, face.Box.Y, face.Box.Y + face.Box.Height);
        }

        Assert.DoesNotContain(quality.Warnings, w => w.Code is QualityWarningCode.NoFace or QualityWarningCode.SeveralFaces);
    }

    [Fact]
    public async Task Encode_PhotoFamily_TwoPeopleSideBySide_WarnsSeveralFacesAndUsesTheLargerFace()
    {
        // The astronaut's face is about 100 px of her 512 px photo, Grace Hopper's about 196 px of her 600: side by side at
        // the same height Grace Hopper's is the larger.
        using var astronaut = PhotoEdits.Load(TestPhotos.Astronaut);
        using var hopper = PhotoEdits.Load(TestPhotos.GraceHopper);
        using var both = PhotoEdits.SideBySide(600, astronaut, hopper);
        var boundary = 600f * astronaut.Width / astronaut.Height / both.Width;

        var encoded = await Client.EncodeIdentityAsync(Photo(PhotoEdits.Png(both)));

        var quality = Assert.Single(encoded.Quality);
        Assert.Contains(quality.Warnings, w => w.Code == QualityWarningCode.SeveralFaces);
        Assert.Equal(2, quality.Faces.Count);
        Assert.True(Area(quality.Faces[0].Box) >= Area(quality.Faces[1].Box), "Faces come largest first.");
        Assert.True(Centre(quality.Faces[0].Box).X > boundary, "The larger face is Grace Hopper's, in the right part.");
        Assert.True(Centre(quality.Faces[1].Box).X < boundary, "The smaller face is the astronaut's, in the left part.");
        Assert.Equal(quality.Faces[0].Box, quality.SubjectBox);

        // The identity is Grace Hopper's: a clip of her alone keeps it, one of the astronaut alone does not.
        var scored = await ScoreConsistencyTests.ScoreAsync(
            Client, ScoreConsistencyTests.People(new ScoringPerson { IdentityId = encoded.Identity.IdentityId }),
            File.ReadAllBytes(TestPhotos.GraceHopper), File.ReadAllBytes(TestPhotos.Astronaut));
        Assert.True(scored.Frames[0].Faces.Single().Comparisons[0].SamePerson);
        Assert.False(scored.Frames[1].Faces.Single().Comparisons[0].SamePerson);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"composite identity: distance to Grace Hopper {scored.Frames[0].Faces[0].Comparisons[0].Distance:0.000}, to the astronaut {scored.Frames[1].Faces[0].Comparisons[0].Distance:0.000}"));
    }

    public static TheoryData<string> FacelessImages => ["noise", "plain"];

    [Theory]
    [MemberData(nameof(FacelessImages))]
    public async Task Encode_PhotoFamily_ReferenceWithoutAFace_IsInvalidArgumentNamingIt_AndTheServiceKeepsServing(string kind)
    {
        var request = Photo(File.ReadAllBytes(TestPhotos.Astronaut), Faceless(kind));

        var e = await Assert.ThrowsAsync<RpcException>(() => Client.EncodeIdentityAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("references[1].data", BadField(e));
        Assert.Contains("blazeface", e.Status.Detail, StringComparison.Ordinal);
        Assert.Single((await Client.EncodeIdentityAsync(Photo(File.ReadAllBytes(TestPhotos.Astronaut)))).Quality);
    }

    [Fact]
    public async Task Encode_GenerationFamily_PlainImage_IsAcceptedWithNoFaceFromTheCastFinder()
    {
        // The cast finder looks for a region whose colour differs from the border's median, covering 4%..90% of the frame;
        // a plain image is all border, so it has none and the centre crop is used.
        var encoded = await Client.EncodeIdentityAsync(Encode(Faceless("plain")));

        var quality = Assert.Single(encoded.Quality);
        Assert.Equal("cast-subject", quality.FaceFinder);
        Assert.False(quality.SubjectFound);
        Assert.Empty(quality.Faces);
        Assert.Contains(quality.Warnings, w => w.Code == QualityWarningCode.NoFace);
    }

    [Fact]
    public async Task Encode_GenerationFamily_NoiseImage_IsAcceptedWithNoFace_AndTheAdviceForPhotos()
    {
        // The cast finder shrinks to 64 px through area averages (BitmapScaling), so per-pixel noise averages out to a
        // plain field: no region stands out, and the reference is used with NO_FACE and what that family's warning advises.
        var encoded = await Client.EncodeIdentityAsync(Encode(Faceless("noise")));

        var quality = Assert.Single(encoded.Quality);
        Assert.Empty(quality.Faces);
        Assert.Equal("cast-subject", quality.FaceFinder);
        Assert.False(quality.SubjectFound);
        var warning = Assert.Single(quality.Warnings, w => w.Code == QualityWarningCode.NoFace);
        Assert.Contains("--family photo", warning.Message, StringComparison.Ordinal);
        output.WriteLine(warning.Message);
    }

    [Fact]
    public async Task Encode_PhotoFamily_FaceOf70PixelsOnALargeCanvas_WarnsFaceTooSmall()
    {
        // Grace Hopper's face (about 196 px, centred near (268, 239)) scaled to about 70 px on a 1000 px canvas.
        using var hopper = PhotoEdits.Load(TestPhotos.GraceHopper);
        using var small = PhotoEdits.OnCanvas(hopper, 1000, 70 / 196f, 268, 239);

        var encoded = await Client.EncodeIdentityAsync(Photo(PhotoEdits.Png(small), File.ReadAllBytes(TestPhotos.GraceHopper)));

        var (tiny, large) = (encoded.Quality[0], encoded.Quality[1]);
        Assert.Equal(1000u, tiny.Width);
        var width = tiny.Faces[0].Box.Width * tiny.Width;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"small face: {width:0} px across; full-size face {large.Faces[0].Box.Width * large.Width:0} px"));
        Assert.InRange(width, 70 * 0.7f, 70 * 1.3f);
        Assert.Contains(tiny.Warnings, w => w.Code == QualityWarningCode.FaceTooSmall);
        Assert.DoesNotContain(large.Warnings, w => w.Code == QualityWarningCode.FaceTooSmall);
        Assert.True(tiny.Score < large.Score, "A face too small lowers the score.");
    }

    [Theory]
    [InlineData("astronaut")]
    [InlineData("camera")]
    [InlineData("grace_hopper")]
    public async Task Encode_PhotoFamily_WarnsHeadTurnedExactlyWhenTheMeasuredYawIsPastTheLimit(string photo)
    {
        var encoded = await Client.EncodeIdentityAsync(Photo(File.ReadAllBytes(PathOf(photo))));

        var quality = Assert.Single(encoded.Quality);
        var yaw = FacePose.Yaw(Landmarks(quality.Faces[0], quality.Width, quality.Height));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{photo}: yaw {yaw:0.000} (limit {FacePose.TurnedYaw})"));
        Assert.Equal(Math.Abs(yaw) > FacePose.TurnedYaw, quality.Warnings.Any(w => w.Code == QualityWarningCode.HeadTurned));
        // The cameraman looks down and to his left; the two portraits face the camera.
        Assert.Equal(photo == "camera", Math.Abs(yaw) > FacePose.TurnedYaw);
    }

    [Fact]
    public async Task Encode_GenerationFamily_DrawnReference_KeepsTheCastSubjectFinder()
    {
        var encoded = await Client.EncodeIdentityAsync(Encode(TestImages.Face(711)));

        var quality = Assert.Single(encoded.Quality);
        Assert.Equal("cast-subject", quality.FaceFinder);
        Assert.True(quality.SubjectFound);
        var face = Assert.Single(quality.Faces);
        Assert.Empty(face.Landmarks);
        Assert.Equal(face.Box, quality.SubjectBox);
        Assert.Equal(new long[] { 32, 768 }, encoded.Identity.TokenShape);
    }

    [Fact]
    public async Task Encode_PhotoFamily_JpegInEachExifOrientation_ReportsTheUprightSizeAndTheSameFace()
    {
        // A 400×512 crop of the astronaut, so that a quarter turn left unapplied would show in the reported size.
        using var astronaut = PhotoEdits.Load(TestPhotos.Astronaut);
        using var upright = PhotoEdits.Cropped(astronaut, 60, 0, 400, 512);
        var request = Photo([.. Enumerable.Range(1, 8).Select(o => ImageVariants.JpegWithOrientation(upright, o))]);

        var encoded = await Client.EncodeIdentityAsync(request);

        var first = encoded.Quality[0].Faces[0].Box;
        foreach (var quality in encoded.Quality)
        {
            var box = Assert.Single(quality.Faces).Box;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"orientation {quality.Index + 1}: {quality.Width}×{quality.Height}, face ({box.X:0.000}, {box.Y:0.000}, {box.Width:0.000}, {box.Height:0.000})"));
            Assert.Equal((400u, 512u), (quality.Width, quality.Height));
            Assert.Equal(ImageFormat.Jpeg, quality.Format);
            Assert.InRange(box.X, first.X - 0.03f, first.X + 0.03f);
            Assert.InRange(box.Y, first.Y - 0.03f, first.Y + 0.03f);
            Assert.InRange(box.Width, first.Width * 0.95f, first.Width * 1.05f);
            Assert.InRange(box.Height, first.Height * 0.95f, first.Height * 1.05f);
        }

        // Orientation 1 is the astronaut's face where the crop puts it: (175 - 60, 75) of a 100 px box.
        Assert.InRange(Centre(first).X * 400, 225 - 60 - 15, 225 - 60 + 15);
        Assert.InRange(Centre(first).Y * 512, 125 - 15, 125 + 15);
    }

    internal static EncodeIdentityRequest Photo(params byte[][] images)
    {
        var request = Encode(images);
        request.Family = IdentityFamily.Photo;
        return request;
    }

    internal static string PathOf(string photo) => photo switch
    {
        "astronaut" => TestPhotos.Astronaut,
        "camera" => TestPhotos.Camera,
        _ => TestPhotos.GraceHopper,
    };

    /// <summary>A reported face's landmarks back in the pixels of a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    internal static FaceLandmarks Landmarks(Face face, uint width, uint height)
    {
        PixelPoint P(int i) => new(face.Landmarks[i].X * width, face.Landmarks[i].Y * height);
        return new FaceLandmarks(P(0), P(1), P(2), P(3), P(4), P(5));
    }

    private static byte[] Faceless(string kind)
    {
        using var bitmap = kind == "noise" ? PhotoEdits.Noise(640, 480, seed: 5) : PhotoEdits.Plain(640, 480, new SKColor(90, 140, 200));
        return PhotoEdits.Png(bitmap);
    }

    private static float Area(Box box) => box.Width * box.Height;

    private static (float X, float Y) Centre(Box box) => (box.X + (box.Width / 2), box.Y + (box.Height / 2));
}
