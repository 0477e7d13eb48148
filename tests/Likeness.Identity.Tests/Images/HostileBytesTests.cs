using Likeness.Core.Errors;
using Likeness.Identity.Images;
using Likeness.Testing;

namespace Likeness.Identity.Tests.Images;

/// <summary>Damaged files of every accepted kind: each is decoded or refused with INVALID_ARGUMENT, never anything else.</summary>
public sealed class HostileBytesTests
{
    private readonly ReferenceDecoder decoder = new(new ReferenceImageOptions());

    public static TheoryData<string> Files() =>
    [
        "progressive_control.jpg", "exif_orientation_6.jpg", "cmyk_of_progressive_control.jpg", "animated_2frames.webp", "animated_2frames.png",
    ];

    /// <summary>Flipped bytes, overwritten length fields and cuts, 400 per file, from a fixed seed.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Check_DamagedFile_IsDecodedOrRefusedAsInvalidArgument(string file)
    {
        var whole = File.ReadAllBytes(Repository.PathOf(Path.Combine("tests", "Likeness.Identity.Tests", "Images", "Cases", file)));
        var random = new Random(file.Length);
        for (var trial = 0; trial < 400; trial++)
        {
            var damaged = (byte[])whole.Clone();
            var near = random.Next(2) == 0 ? random.Next(Math.Min(600, damaged.Length)) : random.Next(damaged.Length);
            switch (trial % 4)
            {
                case 0:
                    damaged[near] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    damaged[near] = 0xFF;
                    damaged[Math.Min(near + 1, damaged.Length - 1)] = 0xFF;
                    break;
                case 2:
                    damaged = damaged[..Math.Max(1, near)];
                    break;
                default:
                    random.NextBytes(damaged.AsSpan(near, Math.Min(8, damaged.Length - near)));
                    break;
            }

            AssertDecodedOrInvalidArgument(damaged);
        }
    }

    [Fact]
    public void Check_WebpWithAHugeTrailingChunkSize_IsDecodedOrRefusedAsInvalidArgument()
    {
        var webp = TestImages.Face(3, 200, 200, SkiaSharp.SKEncodedImageFormat.Webp);
        byte[] chunk = [(byte)'X', (byte)'Y', (byte)'Z', (byte)'W', 0xF0, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4];
        var damaged = webp.Concat(chunk).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan(4), (uint)(damaged.Length - 8));

        AssertDecodedOrInvalidArgument(damaged);
    }

    [Fact]
    public void Check_JpegWithStrayBytesBetweenSegments_IsAccepted()
    {
        var jpeg = TestImages.Face(3, 200, 200, SkiaSharp.SKEncodedImageFormat.Jpeg);
        var afterFirstSegment = 4 + System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(4));
        var padded = jpeg[..afterFirstSegment].Concat(new byte[4]).Concat(jpeg[afterFirstSegment..]).ToArray();

        using var reference = decoder.Check(new ReferenceImage(padded), 0);

        Assert.Equal((200, 200), (reference.Width, reference.Height));
    }

    private void AssertDecodedOrInvalidArgument(byte[] data)
    {
        try
        {
            using var reference = decoder.Check(new ReferenceImage(data), 0);
        }
        catch (LikenessException e)
        {
            Assert.Equal(LikenessErrorKind.InvalidArgument, e.Kind);
            Assert.Equal("references[0].data", e.Field);
        }
    }
}
