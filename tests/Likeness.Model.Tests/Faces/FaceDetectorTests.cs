using Likeness.Model.Faces;
using Likeness.Testing;
using SkiaSharp;

namespace Likeness.Model.Tests.Faces;

/// <summary>The shipped BlazeFace detector (models/face-detector) on real public-domain photos.</summary>
public sealed class FaceDetectorTests : IClassFixture<FaceDetectorTests.Detector>
{
    private readonly LoadedFaceDetector detector;

    public FaceDetectorTests(Detector fixture) => detector = fixture.Loaded;

    /// <summary>
    /// Face boxes checked by eye: the detector's box and landmarks drawn on each photo over a 50 px grid, viewed as PNG; each
    /// box runs from the hairline to the chin and from ear to ear. (x, y, width, height) in pixels.
    /// </summary>
    public static TheoryData<string, float, float, float, float> HandCheckedFaces => new()
    {
        { "astronaut", 175, 75, 100, 100 },
        { "camera", 182, 124, 76, 76 },
        { "grace_hopper", 170, 140, 196, 198 },
    };

    [Theory]
    [MemberData(nameof(HandCheckedFaces))]
    public void Detect_TestPhoto_LargestBoxIsTheHandCheckedFace(string photo, float x, float y, float width, float height)
    {
        var image = Image.Load(PhotoPath(photo));

        var faces = detector.Detect(image.Pixels, image.Width, image.Height);

        var face = Assert.Single(faces);
        var expected = new PixelBox(x, y, width, height);
        Assert.InRange(face.Box.Centre.X, expected.Centre.X - (0.15f * width), expected.Centre.X + (0.15f * width));
        Assert.InRange(face.Box.Centre.Y, expected.Centre.Y - (0.15f * height), expected.Centre.Y + (0.15f * height));
        Assert.InRange(face.Box.Width, 0.75f * width, 1.25f * width);
        Assert.InRange(face.Score, 0.5f, 1f);
    }

    [Theory]
    [InlineData("astronaut")]
    [InlineData("grace_hopper")]
    public void Detect_UprightPortrait_LandmarksSitWhereAFacesDo(string photo)
    {
        var image = Image.Load(PhotoPath(photo));

        var face = detector.Detect(image.Pixels, image.Width, image.Height)[0];

        var (box, marks) = (face.Box, face.Landmarks!);
        Assert.True(marks.RightEye.X < marks.LeftEye.X, "The subject's right eye appears on the left of an unmirrored photo.");
        Assert.True(marks.RightEar.X < marks.RightEye.X && marks.LeftEye.X < marks.LeftEar.X, "Ears lie outside the eyes.");
        Assert.True(Math.Max(marks.RightEye.Y, marks.LeftEye.Y) < marks.NoseTip.Y && marks.NoseTip.Y < marks.Mouth.Y, "Eyes, nose, mouth from top to bottom.");
        foreach (var point in new[] { marks.RightEye, marks.LeftEye, marks.NoseTip, marks.Mouth })
        {
            Assert.InRange(point.X, box.X, box.X + box.Width);
            Assert.InRange(point.Y, box.Y, box.Y + box.Height);
        }
    }

    [Fact]
    public void Detect_MirroredPortrait_EyesSwapSides()
    {
        var image = Image.Load(TestPhotos.GraceHopper);
        var mirrored = image.Mirrored();

        var face = detector.Detect(image.Pixels, image.Width, image.Height)[0];
        var mirroredFace = detector.Detect(mirrored.Pixels, mirrored.Width, mirrored.Height)[0];

        // The subject's right eye is still labelled right: it is now the one further left, at the mirrored left eye's place.
        Assert.InRange(mirroredFace.Landmarks!.RightEye.X, image.Width - face.Landmarks!.LeftEye.X - 10, image.Width - face.Landmarks.LeftEye.X + 10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Detect_PortraitTurnedByQuarterTurns_FindsTheTurnedFace(int quarterTurns)
    {
        // Measured: BlazeFace still finds Grace Hopper's face turned 90°, 180° and 270°, where the upright face's box lands
        // after the turn. Landmarks on a turned face are not trusted here; the encoder applies EXIF orientation first.
        var upright = Image.Load(TestPhotos.GraceHopper);
        var reference = detector.Detect(upright.Pixels, upright.Width, upright.Height)[0].Box;
        var image = upright.Turned(quarterTurns);

        var face = detector.Detect(image.Pixels, image.Width, image.Height)[0];

        var (x, y) = (reference.Centre.X - (upright.Width / 2f), reference.Centre.Y - (upright.Height / 2f));
        var (turnedX, turnedY) = quarterTurns switch { 1 => (-y, x), 2 => (-x, -y), _ => (y, -x) };
        Assert.InRange(face.Box.Centre.X, (image.Width / 2f) + turnedX - (0.2f * reference.Width), (image.Width / 2f) + turnedX + (0.2f * reference.Width));
        Assert.InRange(face.Box.Centre.Y, (image.Height / 2f) + turnedY - (0.2f * reference.Width), (image.Height / 2f) + turnedY + (0.2f * reference.Width));
        Assert.InRange(face.Box.Width, 0.65f * reference.Width, 1.35f * reference.Width);
    }

    [Fact]
    public void Detect_TwoPortraitsSideBySide_FindsBothLargestFirst()
    {
        var astronaut = Image.Load(TestPhotos.Astronaut);
        var hopper = Image.Load(TestPhotos.GraceHopper);
        var both = Image.SideBySide(astronaut, hopper);

        var faces = detector.Detect(both.Pixels, both.Width, both.Height);

        Assert.Equal(2, faces.Count);
        Assert.True(faces[0].Box.Area >= faces[1].Box.Area);
        Assert.True(faces[0].Box.Centre.X > astronaut.Width, "Grace Hopper's face, the larger, is in the right half.");
        Assert.True(faces[1].Box.Centre.X < astronaut.Width, "The astronaut's face is in the left half.");
    }

    [Fact]
    public void Detect_BlankAndNoiseImages_FindNoFace()
    {
        var random = new Random(3);
        var noise = new byte[640 * 480 * 4];
        random.NextBytes(noise);
        var grey = Enumerable.Repeat((byte)128, 640 * 480 * 4).ToArray();
        var black = new byte[320 * 320 * 4];

        Assert.Empty(detector.Detect(noise, 640, 480));
        Assert.Empty(detector.Detect(grey, 640, 480));
        Assert.Empty(detector.Detect(black, 320, 320));
    }

    [Theory]
    [InlineData(70, true)]
    [InlineData(20, false)]
    public void Detect_SmallFaceOnLargeCanvas_FoundDownToAFewPercentOfTheLongSide(int faceWidth, bool found)
    {
        // Measured with likeness-train face-detector-report: on a 2000 px canvas Grace Hopper's face is found down to 40-55 px
        // wide (5-7 px in the 256 px input), depending on placement, and lost by 20 px; the astronaut's down to 100 px.
        var hopper = Image.Load(TestPhotos.GraceHopper);
        var canvas = hopper.OnCanvas(2000, faceWidth / 196f, centreX: 268, centreY: 239);

        var faces = detector.Detect(canvas.Pixels, canvas.Width, canvas.Height);

        var face = faces.FirstOrDefault(f => Math.Abs(f.Box.Centre.X - 1000) < faceWidth && Math.Abs(f.Box.Centre.Y - 1000) < faceWidth);
        Assert.Equal(found, face is not null);
        if (face is not null)
        {
            Assert.InRange(face.Box.Width, faceWidth * 0.7f, faceWidth * 1.3f);
        }
    }

    [Fact]
    public void Detect_WrongBufferLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => detector.Detect(new byte[10], 4, 4));
    }

    private static string PhotoPath(string name) => name switch
    {
        "astronaut" => TestPhotos.Astronaut,
        "camera" => TestPhotos.Camera,
        _ => TestPhotos.GraceHopper,
    };

    /// <summary>One detector for the class: loading is the slow part.</summary>
    public sealed class Detector : IDisposable
    {
        public LoadedFaceDetector Loaded { get; } = LoadedFaceDetector.Load(Repository.PathOf(Path.Combine("models", "face-detector.manifest.json")));

        public void Dispose() => Loaded.Dispose();
    }

    /// <summary>An RGBA8888 image for the detector, with the few edits these tests make.</summary>
    private sealed record Image(byte[] Pixels, int Width, int Height)
    {
        public static Image Load(string path)
        {
            using var decoded = SKBitmap.Decode(path);
            using var bitmap = decoded.Copy(SKColorType.Rgba8888);
            return new Image(bitmap.GetPixelSpan().ToArray(), bitmap.Width, bitmap.Height);
        }

        public static Image SideBySide(Image left, Image right) =>
            Draw(left.Width + right.Width, Math.Max(left.Height, right.Height), canvas =>
            {
                canvas.Clear(SKColors.Black);
                using var a = left.ToSkImage();
                using var b = right.ToSkImage();
                canvas.DrawImage(a, 0, 0, SKSamplingOptions.Default);
                canvas.DrawImage(b, left.Width, 0, SKSamplingOptions.Default);
            });

        /// <summary>Turned clockwise by 90° steps.</summary>
        public Image Turned(int quarterTurns)
        {
            var (width, height) = quarterTurns % 2 == 0 ? (Width, Height) : (Height, Width);
            return Draw(width, height, canvas =>
            {
                canvas.Translate(width / 2f, height / 2f);
                canvas.RotateDegrees(90 * quarterTurns);
                canvas.Translate(-Width / 2f, -Height / 2f);
                using var image = ToSkImage();
                canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
            });
        }

        public Image Mirrored() => Draw(Width, Height, canvas =>
        {
            canvas.Scale(-1, 1, Width / 2f, 0);
            using var image = ToSkImage();
            canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        });

        /// <summary>Scaled by <paramref name="scale"/> with (centreX, centreY) at the centre of a grey square canvas.</summary>
        public Image OnCanvas(int side, float scale, float centreX, float centreY) => Draw(side, side, canvas =>
        {
            canvas.Clear(new SKColor(128, 128, 128));
            canvas.Translate((side / 2f) - (centreX * scale), (side / 2f) - (centreY * scale));
            canvas.Scale(scale);
            using var image = ToSkImage();
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        });

        private SKImage ToSkImage()
        {
            var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            return SKImage.FromPixelCopy(info, Pixels);
        }

        private static Image Draw(int width, int height, Action<SKCanvas> draw)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            using (var canvas = new SKCanvas(bitmap))
            {
                draw(canvas);
            }

            return new Image(bitmap.GetPixelSpan().ToArray(), width, height);
        }
    }
}
