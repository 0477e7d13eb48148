using Likeness.Model.Faces;
using Likeness.Testing;
using SkiaSharp;

namespace Likeness.Model.Tests.Faces;

/// <summary>An RGBA8888 photo with one face's landmarks.</summary>
internal sealed record FacePhoto(string Name, byte[] Rgba, int Width, int Height, FaceLandmarks Landmarks)
{
    public float[] Chip() => FaceAlignment.Chip(Rgba, Width, Height, Landmarks);

    public float[] AxisAlignedCrop() => FaceAlignment.AxisAlignedCrop(Rgba, Width, Height, Landmarks);
}

/// <summary>
/// The three public-domain test photos with landmarks read off by eye (viewing the photos; no detector), in BlazeFace's
/// order, and the same-person views the measurements use: flip, shift, scale, JPEG, darker.
/// </summary>
internal static class FacePhotos
{
    public static FacePhoto Astronaut() => Load("astronaut", TestPhotos.Astronaut, new FaceLandmarks(
        RightEye: new(197, 101), LeftEye: new(250, 104), NoseTip: new(224, 128), Mouth: new(222, 146),
        RightEar: new(180, 115), LeftEar: new(275, 112)));

    public static FacePhoto Camera() => Load("camera", TestPhotos.Camera, new FaceLandmarks(
        RightEye: new(228, 153), LeftEye: new(252, 150), NoseTip: new(255, 172), Mouth: new(243, 187),
        RightEar: new(190, 140), LeftEar: new(260, 150)));

    public static FacePhoto GraceHopper() => Load("grace_hopper", TestPhotos.GraceHopper, new FaceLandmarks(
        RightEye: new(220, 191), LeftEye: new(313, 185), NoseTip: new(265, 245), Mouth: new(265, 275),
        RightEar: new(170, 215), LeftEar: new(365, 205)));

    public static IReadOnlyList<FacePhoto> All() => [Astronaut(), Camera(), GraceHopper()];

    /// <summary>Mirrored left to right; the subject's right eye is then on the photo's right.</summary>
    public static FacePhoto Flipped(FacePhoto photo)
    {
        var rgba = new byte[photo.Rgba.Length];
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                Array.Copy(photo.Rgba, ((y * photo.Width) + x) * 4, rgba, ((y * photo.Width) + (photo.Width - 1 - x)) * 4, 4);
            }
        }

        PixelPoint Mirror(PixelPoint p) => new(photo.Width - p.X, p.Y);
        var l = photo.Landmarks;
        // The mirrored person's right eye is the original's left eye, mirrored.
        return photo with
        {
            Name = $"{photo.Name}-flip",
            Rgba = rgba,
            Landmarks = new FaceLandmarks(Mirror(l.LeftEye), Mirror(l.RightEye), Mirror(l.NoseTip), Mirror(l.Mouth), Mirror(l.LeftEar), Mirror(l.RightEar)),
        };
    }

    /// <summary>Drawn onto a canvas of the same size, scaled by <paramref name="scale"/> about the origin and moved by (dx, dy).</summary>
    public static FacePhoto Transformed(FacePhoto photo, string name, float scale, float dx, float dy)
    {
        using var source = Bitmap(photo.Rgba, photo.Width, photo.Height);
        using var target = new SKBitmap(new SKImageInfo(photo.Width, photo.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            using var image = SKImage.FromBitmap(source);
            var destination = SKRect.Create(dx, dy, photo.Width * scale, photo.Height * scale);
            canvas.DrawImage(image, destination, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        PixelPoint Move(PixelPoint p) => new((p.X * scale) + dx, (p.Y * scale) + dy);
        var l = photo.Landmarks;
        return photo with
        {
            Name = $"{photo.Name}-{name}",
            Rgba = target.GetPixelSpan().ToArray(),
            Landmarks = new FaceLandmarks(Move(l.RightEye), Move(l.LeftEye), Move(l.NoseTip), Move(l.Mouth), Move(l.RightEar), Move(l.LeftEar)),
        };
    }

    /// <summary>Encoded as JPEG at <paramref name="quality"/> and decoded again.</summary>
    public static FacePhoto Jpeg(FacePhoto photo, int quality)
    {
        using var bitmap = Bitmap(photo.Rgba, photo.Width, photo.Height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        var (rgba, _, _) = DecodeRgba(data.ToArray());
        return photo with { Name = $"{photo.Name}-jpeg{quality}", Rgba = rgba };
    }

    /// <summary>Every RGB value multiplied by <paramref name="factor"/>.</summary>
    public static FacePhoto Darker(FacePhoto photo, float factor)
    {
        var rgba = photo.Rgba.ToArray();
        for (var i = 0; i < rgba.Length; i++)
        {
            if (i % 4 != 3)
            {
                rgba[i] = (byte)MathF.Round(rgba[i] * factor);
            }
        }

        return photo with { Name = $"{photo.Name}-darker", Rgba = rgba };
    }

    /// <summary>The same-person views of a photo the measurements compare with the photo itself.</summary>
    public static IReadOnlyList<FacePhoto> Views(FacePhoto photo) =>
    [
        Flipped(photo),
        Transformed(photo, "shift", 1, 23.5f, -17.25f),
        Transformed(photo, "scale0.7", 0.7f, 40, 30),
        Transformed(photo, "scale1.3", 1.3f, -90, -40),
        Jpeg(photo, 50),
        Darker(photo, 0.6f),
    ];

    /// <summary>A 150×150 chip as PNG, its values rounded to bytes; <paramref name="rounded"/> gets the values the PNG holds.</summary>
    public static byte[] ChipPng(float[] chip, out float[] rounded)
    {
        var rgba = FaceAlignment.ToRgba(chip);
        const int plane = FaceAlignment.ChipSize * FaceAlignment.ChipSize;
        rounded = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                rounded[(c * plane) + i] = rgba[(i * 4) + c];
            }
        }

        using var bitmap = Bitmap(rgba, FaceAlignment.ChipSize, FaceAlignment.ChipSize);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static FacePhoto Load(string name, string path, FaceLandmarks landmarks)
    {
        var (rgba, width, height) = DecodeRgba(File.ReadAllBytes(path));
        return new FacePhoto(name, rgba, width, height, landmarks);
    }

    private static (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] encoded)
    {
        using var decoded = SKBitmap.Decode(encoded) ?? throw new InvalidDataException("Not a decodable image.");
        using var rgba = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(rgba))
        using (var image = SKImage.FromBitmap(decoded))
        {
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        }

        return (rgba.GetPixelSpan().ToArray(), decoded.Width, decoded.Height);
    }

    private static SKBitmap Bitmap(byte[] rgba, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        rgba.CopyTo(bitmap.GetPixelSpan());
        return bitmap;
    }
}
