using System.Security.Cryptography;
using Likeness.Core.Errors;
using Likeness.Identity.Internal;
using SkiaSharp;

namespace Likeness.Identity.Images;

/// <summary>Checks one reference from the cheapest test to the dearest, and decodes it only once every limit holds.</summary>
public sealed class ReferenceDecoder(ReferenceImageOptions options)
{
    /// <summary>Long side of the working copy that quality and cropping read.</summary>
    public const int WorkingSide = 512;

    /// <summary>Long side of the detail copy kept on request: a face filling a twentieth of it still gives the recogniser 100 px.</summary>
    public const int DetailSide = 2048;

    /// <summary>The matte transparent pixels are composited on: neutral mid-grey (sRGB 128, 128, 128), so a cut-out portrait reads neither dark nor washed out.</summary>
    public static readonly SKColor Matte = new(128, 128, 128);

    /// <summary>
    /// Signature, byte limit, header, declared dimensions, the container's completeness, then the decode itself:
    /// the first frame of an animated image, turned upright by its EXIF orientation, composited on <see cref="Matte"/>.
    /// Grey, palette, 16-bit and CMYK images decode to the same 8-bit RGB as their RGB twins.
    /// </summary>
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>references[index].data</c> or <c>.format</c>.</exception>
    /// <param name="collection">The request field the image came in: <c>references</c>, or <c>frames</c> for a clip.</param>
    /// <param name="keepDetail">Also keep a copy of up to <see cref="DetailSide"/> px (<see cref="CheckedReference.Detail"/>).</param>
    public CheckedReference Check(ReferenceImage reference, int index, string collection = "references", bool keepDetail = false)
    {
        var field = $"{collection}[{index}].data";
        var format = CheckSignature(reference, index, collection);
        var data = reference.Data.Span;
        var bytes = reference.Data.ToArray();
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var headerResult)
            ?? throw LikenessException.InvalidArgument(field, $"is a truncated or corrupt {format}: its header cannot be read ({headerResult}).");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var pixels = (long)width * height;
        if (pixels > options.MaxPixels || Math.Max(width, height) > options.MaxSide)
        {
            throw LikenessException.InvalidArgument(field,
                $"declares {width}×{height} pixels; the limits are {options.MaxPixels} pixels and {options.MaxSide} px per side.");
        }

        if (Math.Min(width, height) < options.MinSide)
        {
            throw LikenessException.InvalidArgument(field, $"is {width}×{height} pixels; each side must be at least {options.MinSide} px.");
        }

        var container = ImageContainer.Inspect(format, data);
        if (container.Incomplete is { } incomplete)
        {
            throw LikenessException.InvalidArgument(field, $"is an incomplete {format}: it {incomplete}.");
        }

        var orientation = ExifOrientation.Read(bytes, format);
        var side = keepDetail ? DetailSide : WorkingSide;
        var largest = ExifOrientation.Apply(Shrink(Decode(codec, format, field, side), side), orientation);
        SKBitmap working;
        try
        {
            CompositeOnMatte(largest);
            working = keepDetail ? Copy(largest, WorkingSide) : largest;
        }
        catch
        {
            largest.Dispose();
            throw;
        }

        var (displayedWidth, displayedHeight) = ExifOrientation.SwapsSides(orientation) ? (height, width) : (width, height);
        return new CheckedReference(index, format, displayedWidth, displayedHeight, SHA256.HashData(data), working)
        {
            Orientation = orientation,
            FrameCount = container.FrameCount,
            Detail = largest,
        };
    }

    /// <summary>
    /// The checks that need no decoding: not empty, within <see cref="ReferenceImageOptions.MaxReferenceBytes"/>, a
    /// PNG, JPEG or WebP signature, and the declared format (when given) matching it. Returns the format.
    /// </summary>
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <c>references[index].data</c> or <c>.format</c>.</exception>
    public EncodedImageFormat CheckSignature(ReferenceImage reference, int index, string collection = "references")
    {
        var field = $"{collection}[{index}].data";
        var data = reference.Data.Span;
        if (data.IsEmpty)
        {
            throw LikenessException.InvalidArgument(field, "is empty.");
        }

        if (data.Length > options.MaxReferenceBytes)
        {
            throw LikenessException.InvalidArgument(field, $"is {data.Length} bytes; the limit is {options.MaxReferenceBytes} bytes.");
        }

        var format = ImageSignature.Sniff(data)
            ?? throw LikenessException.InvalidArgument(field, "is not a PNG, JPEG or WebP image (unrecognised signature).");
        if (reference.DeclaredFormat is { } declared && declared != format)
        {
            throw LikenessException.InvalidArgument($"{collection}[{index}].format", $"says {declared}, but the bytes are {format}.");
        }

        return format;
    }

    private static SKBitmap Decode(SKCodec codec, EncodedImageFormat format, string field, int side)
    {
        // JPEG decodes straight to 1/2, 1/4 or 1/8 scale, which spares most of the work for large photos.
        var scale = Math.Min(1f, 2f * side / Math.Max(codec.Info.Width, codec.Info.Height));
        var size = format == EncodedImageFormat.Jpeg ? codec.GetScaledDimensions(scale) : codec.Info.Size;
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            var what = result == SKCodecResult.IncompleteInput ? "truncated" : "corrupt";
            throw LikenessException.InvalidArgument(field, $"is a {what} {format}: decoding stopped with {result}.");
        }

        return bitmap;
    }

    /// <summary>Blends every pixel over <see cref="Matte"/> by its alpha and makes it opaque.</summary>
    private static void CompositeOnMatte(SKBitmap bitmap)
    {
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var alpha = pixels[i + 3];
            if (alpha == 255)
            {
                continue;
            }

            pixels[i] = Blend(pixels[i], Matte.Red, alpha);
            pixels[i + 1] = Blend(pixels[i + 1], Matte.Green, alpha);
            pixels[i + 2] = Blend(pixels[i + 2], Matte.Blue, alpha);
            pixels[i + 3] = 255;
        }
    }

    private static byte Blend(byte colour, byte matte, byte alpha) => (byte)(((colour * alpha) + (matte * (255 - alpha)) + 127) / 255);

    /// <summary><paramref name="decoded"/> itself when its long side is at most <paramref name="side"/>, else a smaller copy (and the original is disposed).</summary>
    private static SKBitmap Shrink(SKBitmap decoded, int side)
    {
        if (Math.Max(decoded.Width, decoded.Height) <= side)
        {
            return decoded;
        }

        using var _ = decoded;
        return Copy(decoded, side);
    }

    /// <summary>A new copy of <paramref name="source"/> with its long side at most <paramref name="side"/>.</summary>
    private static SKBitmap Copy(SKBitmap source, int side) =>
        BitmapScaling.Scale(source, Math.Min(1.0, (double)side / Math.Max(source.Width, source.Height)));
}
