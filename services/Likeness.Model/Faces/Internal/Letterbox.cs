namespace Likeness.Model.Faces.Internal;

/// <summary>Where an image sits inside the detector's S×S input: scaled to fit its long side to S, centred.</summary>
internal readonly record struct Letterbox(int Size, int ScaledWidth, int ScaledHeight, int Left, int Top, int Width, int Height)
{
    public static Letterbox Of(int width, int height, int size)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"An image of {width}×{height} pixels has nothing to detect in.");
        }

        var scale = size / (double)Math.Max(width, height);
        var scaledWidth = Math.Clamp((int)Math.Round(width * scale), 1, size);
        var scaledHeight = Math.Clamp((int)Math.Round(height * scale), 1, size);
        return new Letterbox(size, scaledWidth, scaledHeight, (size - scaledWidth) / 2, (size - scaledHeight) / 2, width, height);
    }

    /// <summary>A point given as fractions of the input side, in image pixels.</summary>
    public PixelPoint ToImage(float u, float v) =>
        new(((u * Size) - Left) * Width / ScaledWidth, ((v * Size) - Top) * Height / ScaledHeight);
}
