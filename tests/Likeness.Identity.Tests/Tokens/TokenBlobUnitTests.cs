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
        Assert.Equal(Tokens with { Values = decoded.Values, FaceEmbedding = decoded.FaceEmbedding }, decoded);
    }

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
