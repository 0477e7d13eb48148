namespace Likeness.Identity.Regions;

/// <summary>An axis-aligned box in image coordinates scaled to 0..1, origin top-left.</summary>
public readonly record struct NormalizedBox(float X, float Y, float Width, float Height)
{
    public float Area => Width * Height;
}

/// <summary>A point in image coordinates scaled to 0..1, origin top-left.</summary>
public readonly record struct NormalizedPoint(float X, float Y);
