using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Identity.Tokens;

namespace Likeness.Identity.Tests.Tokens;

public sealed class TokenBlobUnitTests
{
    private static readonly IdentityTokens Tokens = new()
    {
        ModelId = "likeness-identity-v1-untrained-s1-d8",
        Untrained = true,
        TokenCount = 4,
        TokenDim = 8,
        Values = Enumerable.Range(0, 32).Select(i => MathF.Sin(i) * 3).ToArray(),
        FaceEmbedding = Enumerable.Range(0, 512).Select(i => MathF.Cos(i)).ToArray(),
        ReferenceCount = 5,
        CombineMode = CombineMode.QualityWeighted,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123),
    };

    [Fact]
    public void Decode_Float32Blob_RoundTripsExactly()
    {
        var (decoded, dtype) = TokenBlob.Decode(TokenBlob.Encode(Tokens, TokenDType.Float32));

        Assert.Equal(TokenDType.Float32, dtype);
        Assert.Equal(Tokens.Values, decoded.Values);
        Assert.Equal(Tokens.FaceEmbedding, decoded.FaceEmbedding);
        Assert.Equal(Tokens with { Values = decoded.Values, FaceEmbedding = decoded.FaceEmbedding, References = decoded.References }, decoded);
    }

    [Fact]
    public void Decode_ReferencesStoredWithTheTokens_RoundTripExactly()
    {
        var tokens = Tokens with { References = [Reference("ab12", 0), Reference("cd34", 1)] };

        var (decoded, _) = TokenBlob.Decode(TokenBlob.Encode(tokens, TokenDType.Float32));

        Assert.Equal(Json(tokens.References), Json(decoded.References));
        Assert.Equal(tokens.References[1].Quality.Faces[0].Landmarks, decoded.References[1].Quality.Faces[0].Landmarks);
    }

    [Fact]
    public void Decode_AVersion1Blob_StillReads_WithNoReferences()
    {
        var version2 = TokenBlob.Encode(Tokens, TokenDType.Float32);

        // Version 1 is the same layout without the references' section (u32 length and "[]").
        var body = version2.AsSpan(0, version2.Length - 32 - 4 - 2).ToArray();
        body[4] = 1;
        var version1 = body.Concat(System.Security.Cryptography.SHA256.HashData(body)).ToArray();
        var (decoded, _) = TokenBlob.Decode(version1);

        Assert.Empty(decoded.References);
        Assert.Equal(Tokens.Values, decoded.Values);
    }

    [Fact]
    public void Decode_ReferencesThatDoNotParse_AreRefusedEvenBehindAValidChecksum()
    {
        var blob = TokenBlob.Encode(Tokens with { References = [Reference("ab12", 0)] }, TokenDType.Float32);
        var body = blob.AsSpan(0, blob.Length - 32).ToArray();
        body[^3] = (byte)'{'; // inside the JSON, near its end
        var damaged = body.Concat(System.Security.Cryptography.SHA256.HashData(body)).ToArray();

        Assert.Throws<InvalidDataException>(() => TokenBlob.Decode(damaged));
    }

    private static StoredReference Reference(string hash, int index) => new(hash, new ReferenceQuality
    {
        Index = index,
        Format = EncodedImageFormat.Jpeg,
        Width = 640,
        Height = 800,
        MeanLuma = 0.4123457f,
        DarkClippedFraction = 0.01f,
        BrightClippedFraction = 0,
        Sharpness = 123.45679f,
        FaceFinder = "blazeface",
        Faces = [new FoundFace(new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f), [new NormalizedPoint(0.15f, 0.25f), new NormalizedPoint(1f / 3, 2f / 3)], 0.987654f)],
        Subject = new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f),
        Score = 0.7f,
        Warnings = [new QualityWarning(QualityWarningCode.HeadTurned, "The head is turned \"sideways\".")],
    });

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    [Fact]
    public void Decode_Float16Blob_RoundTripsWithinHalfPrecision()
    {
        var blob = TokenBlob.Encode(Tokens, TokenDType.Float16);
        var (decoded, dtype) = TokenBlob.Decode(blob);

        Assert.Equal(TokenDType.Float16, dtype);
        Assert.True(blob.Length < TokenBlob.Encode(Tokens, TokenDType.Float32).Length);
        for (var i = 0; i < Tokens.Values.Length; i++)
        {
            Assert.Equal(Tokens.Values[i], decoded.Values[i], 0.005f);
        }
    }

    [Fact]
    public void Decode_AnySingleFlippedByte_IsRefused()
    {
        var blob = TokenBlob.Encode(Tokens, TokenDType.Float16);
        for (var i = 0; i < blob.Length; i++)
        {
            var corrupt = blob.ToArray();
            corrupt[i] ^= 0x01;
            Assert.Throws<InvalidDataException>(() => TokenBlob.Decode(corrupt));
        }
    }

    [Fact]
    public void Decode_Truncated_IsRefused() =>
        Assert.Throws<InvalidDataException>(() => TokenBlob.Decode(TokenBlob.Encode(Tokens, TokenDType.Float32).AsSpan(0, 40)));

    [Fact]
    public void Encode_StartsWithMagicAndVersion()
    {
        var blob = TokenBlob.Encode(Tokens, TokenDType.Float32);

        Assert.Equal("LKID"u8.ToArray(), blob[..4]);
        Assert.Equal(TokenBlob.FormatVersion, BitConverter.ToUInt16(blob, 4));
    }
}
