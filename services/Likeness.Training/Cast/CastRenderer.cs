using Likeness.Identity.Regions;
using SkiaSharp;

namespace Likeness.Training.Cast;

/// <summary>One rendered frame: RGB pixels, the face mask (255 on the face) and the face's box.</summary>
public sealed record RenderedFrame(byte[] Rgb, byte[] FaceMask, NormalizedBox FaceBox, int Size);

/// <summary>One rendered frame with several characters: RGB pixels and, per character in drawing order, its face mask and box.</summary>
public sealed record RenderedScene(byte[] Rgb, IReadOnlyList<byte[]> FaceMasks, IReadOnlyList<NormalizedBox> FaceBoxes, int Size);

/// <summary>One character in a frame: who, and how they stand.</summary>
public sealed record CastMember(CharacterTraits Who, FramePose Pose);

/// <summary>Draws characters in poses on a backdrop, deterministically: the same inputs give the same bytes.</summary>
public static class CastRenderer
{
    public static RenderedFrame Render(CharacterTraits who, ClipBackground background, FramePose pose, int size)
    {
        var scene = RenderScene([new CastMember(who, pose)], background, size);
        return new RenderedFrame(scene.Rgb, scene.FaceMasks[0], scene.FaceBoxes[0], size);
    }

    /// <summary>Draws every member in order (a later one covers an earlier one), then the light over the whole frame.</summary>
    public static RenderedScene RenderScene(IReadOnlyList<CastMember> members, ClipBackground background, int size)
    {
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var frame = new SKBitmap(info);
        using var canvas = new SKCanvas(frame);
        using var paint = new SKPaint { IsAntialias = true };
        DrawBackground(canvas, paint, background, size);
        var boxes = new List<NormalizedBox>(members.Count);
        var masks = new List<byte[]>(members.Count);
        foreach (var member in members)
        {
            var (mask, box) = DrawCharacter(canvas, paint, member, size);
            masks.Add(mask);
            boxes.Add(box);
        }

        // Light: a brightness factor and a soft gradient from the light's side, taken from the first member's pose (an empty
        // scene, nobody in it, keeps the background as drawn).
        if (members.Count > 0)
        {
            DrawLight(canvas, members[0].Pose, size);
        }

        var pixels = frame.GetPixelSpan();
        var rgb = new byte[size * size * 3];
        for (var i = 0; i < size * size; i++)
        {
            rgb[i * 3] = pixels[i * 4];
            rgb[(i * 3) + 1] = pixels[(i * 4) + 1];
            rgb[(i * 3) + 2] = pixels[(i * 4) + 2];
        }

        return new RenderedScene(rgb, masks, boxes, size);
    }

    private static (byte[] Mask, NormalizedBox Box) DrawCharacter(SKCanvas canvas, SKPaint paint, CastMember member, int size)
    {
        var (who, pose) = (member.Who, member.Pose);
        float cx = pose.CentreX * size, cy = pose.CentreY * size;
        var ry = pose.Scale * size / 2;
        var rx = ry * Width(who.Face) * (1 - (0.15f * MathF.Abs(pose.Yaw)));
        var turn = pose.Yaw * rx * 0.3f;

        paint.Shader = null;
        if (who.Hair is HairStyle.Long or HairStyle.Bob)
        {
            paint.Color = who.HairColor;
            canvas.DrawRoundRect(cx - (rx * 1.15f), cy - (ry * 1.05f), rx * 2.3f, ry * (who.Hair == HairStyle.Long ? 2.0f : 1.3f), rx * 0.5f, rx * 0.5f, paint);
        }

        paint.Color = who.Skin;
        DrawFace(canvas, paint, who.Face, cx, cy, rx, ry);
        DrawHair(canvas, paint, who, cx, cy, rx, ry);
        DrawFeatures(canvas, paint, who, pose, cx + turn, cy, rx, ry);
        if (who.Hat)
        {
            paint.Color = who.HatColor;
            canvas.DrawRect(cx - (rx * 1.2f), cy - (ry * 0.95f), rx * 2.4f, ry * 0.15f, paint);
            canvas.DrawRect(cx - (rx * 0.75f), cy - (ry * 1.45f), rx * 1.5f, ry * 0.55f, paint);
        }

        var info = new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque);
        using var mask = new SKBitmap(info);
        using (var maskCanvas = new SKCanvas(mask))
        using (var maskPaint = new SKPaint { IsAntialias = false, Color = SKColors.White })
        {
            maskCanvas.Clear(SKColors.Black);
            DrawFace(maskCanvas, maskPaint, who.Face, cx, cy, rx, ry);
        }

        var left = Math.Clamp((cx - rx) / size, 0, 1);
        var top = Math.Clamp((cy - ry) / size, 0, 1);
        var right = Math.Clamp((cx + rx) / size, 0, 1);
        var bottom = Math.Clamp((cy + ry) / size, 0, 1);
        return (mask.GetPixelSpan().ToArray(), new NormalizedBox(left, top, right - left, bottom - top));
    }

    private static float Width(FaceShape face) => face switch
    {
        FaceShape.Round => 0.95f,
        FaceShape.Square => 0.85f,
        FaceShape.Heart => 0.8f,
        FaceShape.Long => 0.62f,
        _ => 0.75f,
    };

    private static void DrawBackground(SKCanvas canvas, SKPaint paint, ClipBackground background, int size)
    {
        paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, size), [background.Top, background.Bottom], SKShaderTileMode.Clamp);
        canvas.DrawRect(0, 0, size, size, paint);
        paint.Shader = null;
        paint.Color = ClipDirector.Shade(background.Bottom, 0.85f);
        for (var s = 0; s < background.Stripes; s++)
        {
            canvas.DrawRect(s * size / (float)background.Stripes, 0, size / (2f * background.Stripes), size, paint);
        }
    }

    private static void DrawFace(SKCanvas canvas, SKPaint paint, FaceShape face, float cx, float cy, float rx, float ry)
    {
        switch (face)
        {
            case FaceShape.Square:
                canvas.DrawRoundRect(cx - rx, cy - ry, 2 * rx, 2 * ry, rx * 0.35f, rx * 0.35f, paint);
                break;
            case FaceShape.Heart:
                using (var builder = new SKPathBuilder())
                {
                    builder.MoveTo(cx, cy + ry);
                    builder.CubicTo(cx - (rx * 1.3f), cy + (ry * 0.2f), cx - (rx * 1.1f), cy - ry, cx, cy - (ry * 0.85f));
                    builder.CubicTo(cx + (rx * 1.1f), cy - ry, cx + (rx * 1.3f), cy + (ry * 0.2f), cx, cy + ry);
                    using var path = builder.Detach();
                    canvas.DrawPath(path, paint);
                }

                break;
            default:
                canvas.DrawOval(cx, cy, rx, ry, paint);
                break;
        }
    }

    private static void DrawHair(SKCanvas canvas, SKPaint paint, CharacterTraits who, float cx, float cy, float rx, float ry)
    {
        paint.Color = who.HairColor;
        switch (who.Hair)
        {
            case HairStyle.Short or HairStyle.Long or HairStyle.Bob:
                canvas.DrawArc(new SKRect(cx - rx, cy - ry, cx + rx, cy + (ry * 0.2f)), 180, 180, true, paint);
                break;
            case HairStyle.Spiky:
                using (var builder = new SKPathBuilder())
                {
                    builder.MoveTo(cx - rx, cy - (ry * 0.5f));
                    for (var k = 0; k <= 6; k++)
                    {
                        var x = cx - rx + (k * rx / 3);
                        builder.LineTo(x - (rx / 6), cy - (ry * 1.3f));
                        builder.LineTo(x, cy - (ry * 0.6f));
                    }

                    builder.Close();
                    using var path = builder.Detach();
                    canvas.DrawPath(path, paint);
                }

                break;
            case HairStyle.Bun:
                canvas.DrawArc(new SKRect(cx - rx, cy - ry, cx + rx, cy + (ry * 0.1f)), 180, 180, true, paint);
                canvas.DrawCircle(cx, cy - (ry * 1.15f), rx * 0.35f, paint);
                break;
        }
    }

    private static void DrawFeatures(SKCanvas canvas, SKPaint paint, CharacterTraits who, FramePose pose, float cx, float cy, float rx, float ry)
    {
        float eyeY = cy - (ry * 0.12f), eyeDx = rx * 0.38f, eyeR = rx * 0.16f;
        foreach (var side in new[] { -1, 1 })
        {
            paint.Color = SKColors.White;
            canvas.DrawOval(cx + (side * eyeDx), eyeY, eyeR * 1.3f, eyeR * (1 - (0.9f * pose.Blink)), paint);
            if (pose.Blink < 0.5f)
            {
                paint.Color = who.EyeColor;
                canvas.DrawCircle(cx + (side * eyeDx) + (pose.Yaw * eyeR * 0.3f), eyeY, eyeR * 0.7f, paint);
            }
        }

        if (who.Glasses)
        {
            using var frame = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1, rx * 0.06f), Color = new SKColor(20, 20, 20) };
            canvas.DrawCircle(cx - eyeDx, eyeY, eyeR * 1.6f, frame);
            canvas.DrawCircle(cx + eyeDx, eyeY, eyeR * 1.6f, frame);
            canvas.DrawLine(cx - eyeDx + (eyeR * 1.6f), eyeY, cx + eyeDx - (eyeR * 1.6f), eyeY, frame);
        }

        paint.Color = ClipDirector.Shade(who.Skin, 0.75f);
        switch (who.Nose)
        {
            case NoseShape.Button: canvas.DrawCircle(cx, cy + (ry * 0.15f), rx * 0.1f, paint); break;
            case NoseShape.Long: canvas.DrawOval(cx, cy + (ry * 0.1f), rx * 0.07f, ry * 0.2f, paint); break;
            default: canvas.DrawOval(cx, cy + (ry * 0.17f), rx * 0.2f, ry * 0.08f, paint); break;
        }

        var mouthWidth = rx * who.Mouth switch { MouthShape.Small => 0.3f, MouthShape.Wide => 0.7f, _ => 0.5f };
        var mouthY = cy + (ry * 0.5f);
        paint.Color = new SKColor(150, 40, 50);
        var open = Math.Max(ry * (who.Mouth == MouthShape.Full ? 0.1f : 0.05f), ry * 0.25f * pose.MouthOpen);
        canvas.DrawArc(new SKRect(cx - mouthWidth, mouthY - open - (ry * 0.15f * pose.Smile), cx + mouthWidth, mouthY + open), 0, 180, true, paint);

        if (who.Scar)
        {
            using var scar = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1, rx * 0.05f), Color = new SKColor(160, 40, 40) };
            canvas.DrawLine(cx + (rx * 0.45f), cy + (ry * 0.05f), cx + (rx * 0.7f), cy + (ry * 0.35f), scar);
        }
    }

    private static SKColor Grey(float factor)
    {
        var level = (byte)Math.Clamp(255 * Math.Min(1f, factor), 0, 255);
        return new SKColor(level, level, level);
    }

    private static void DrawLight(SKCanvas canvas, FramePose pose, int size)
    {
        using var light = new SKPaint
        {
            BlendMode = SKBlendMode.Modulate,
            Shader = SKShader.CreateLinearGradient(
                new SKPoint(0, 0), new SKPoint(size, 0),
                [Grey(pose.Light * (1 - (0.15f * pose.LightSide))), Grey(pose.Light * (1 + (0.15f * pose.LightSide)))],
                SKShaderTileMode.Clamp),
        };
        canvas.DrawRect(0, 0, size, size, light);
    }
}
