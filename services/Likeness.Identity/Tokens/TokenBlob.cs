using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Likeness.Identity.Tokens;

/// <summary>The versioned binary form identity tokens are stored in; anything that fails its checks is refused.</summary>
/// <remarks>
/// Layout, little-endian: magic "LKID" · u16 format version · u8 dtype · u8 combine mode · u8 reference count ·
/// u8 flags (bit 0: untrained) · i64 created (Unix ms) · u16 model-id length · model id (UTF-8) · u8 rank ·
/// u32 × rank shape · payload (product(shape) elements of dtype) · u32 embedding length · embedding (float32) ·
/// (version 2) u32 length · the references (<see cref="IdentityTokens.References"/>) as UTF-8 JSON ·
/// SHA-256 of everything before it. Version 1 blobs, without references, are still read.
/// </remarks>
public static class TokenBlob
{
    public const ushort FormatVersion = 2;

    /// <summary>How the references' quality reports are written: enums by name, floats round-trip exactly.</summary>
    private static readonly JsonSerializerOptions ReferenceJson = new() { Converters = { new JsonStringEnumConverter() } };
    private const int ChecksumLength = 32;
    private const int MaxModelIdLength = 256;
    private static ReadOnlySpan<byte> Magic => "LKID"u8;

    public static byte[] Encode(IdentityTokens tokens, TokenDType dtype)
    {
        var modelId = Encoding.UTF8.GetBytes(tokens.ModelId);
        if (modelId.Length > MaxModelIdLength)
        {
            throw new ArgumentException($"Model id is longer than {MaxModelIdLength} bytes.", nameof(tokens));
        }

        if (tokens.Values.Length != tokens.TokenCount * tokens.TokenDim)
        {
            throw new ArgumentException("Token values do not match their shape.", nameof(tokens));
        }

        var elementSize = dtype == TokenDType.Float16 ? 2 : 4;
        var headerLength = 4 + 2 + 1 + 1 + 1 + 1 + 8 + 2 + modelId.Length + 1 + (2 * 4);
        var embeddingLength = 4 + (tokens.FaceEmbedding.Length * 4);
        var references = JsonSerializer.SerializeToUtf8Bytes(tokens.References, ReferenceJson);
        var blob = new byte[headerLength + (tokens.Values.Length * elementSize) + embeddingLength + 4 + references.Length + ChecksumLength];
        var writer = new SpanWriter(blob);
        writer.Bytes(Magic);
        writer.UInt16(FormatVersion);
        writer.Byte((byte)dtype);
        writer.Byte((byte)tokens.CombineMode);
        writer.Byte(checked((byte)tokens.ReferenceCount));
        writer.Byte(tokens.Untrained ? (byte)1 : (byte)0);
        writer.Int64(tokens.CreatedAt.ToUnixTimeMilliseconds());
        writer.UInt16((ushort)modelId.Length);
        writer.Bytes(modelId);
        writer.Byte(2);
        writer.UInt32((uint)tokens.TokenCount);
        writer.UInt32((uint)tokens.TokenDim);
        foreach (var value in tokens.Values)
        {
            if (dtype == TokenDType.Float16)
            {
                writer.Half((Half)value);
            }
            else
            {
                writer.Single(value);
            }
        }

        writer.UInt32((uint)tokens.FaceEmbedding.Length);
        foreach (var value in tokens.FaceEmbedding)
        {
            writer.Single(value);
        }

        writer.UInt32((uint)references.Length);
        writer.Bytes(references);
        SHA256.HashData(blob.AsSpan(0, blob.Length - ChecksumLength), blob.AsSpan(blob.Length - ChecksumLength));
        return blob;
    }

    // The Unix milliseconds DateTimeOffset can hold (years 1..9999).
    private const long MinUnixMs = -62_135_596_800_000, MaxUnixMs = 253_402_300_799_999;

    /// <summary>Reads a blob, verifying checksum, magic, version and shape.</summary>
    /// <exception cref="InvalidDataException">The blob is corrupt or of an unknown format.</exception>
    public static (IdentityTokens Tokens, TokenDType DType) Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < Magic.Length + ChecksumLength || !blob.StartsWith(Magic))
        {
            throw new InvalidDataException("not a Likeness token blob (bad magic or too short)");
        }

        Span<byte> checksum = stackalloc byte[ChecksumLength];
        SHA256.HashData(blob[..^ChecksumLength], checksum);
        if (!checksum.SequenceEqual(blob[^ChecksumLength..]))
        {
            throw new InvalidDataException("checksum mismatch");
        }

        var reader = new SpanReader(blob[..^ChecksumLength]);
        reader.Skip(Magic.Length);
        var version = reader.UInt16();
        if (version is not (1 or FormatVersion))
        {
            throw new InvalidDataException($"format version {version} is not supported (expected 1 or {FormatVersion})");
        }

        var dtype = (TokenDType)reader.Byte();
        var combine = (CombineMode)reader.Byte();
        var references = reader.Byte();
        var flags = reader.Byte();
        var createdMs = reader.Int64();
        if (createdMs < MinUnixMs || createdMs > MaxUnixMs)
        {
            throw new InvalidDataException($"creation time {createdMs} ms is outside the dates a blob can carry");
        }

        var created = DateTimeOffset.FromUnixTimeMilliseconds(createdMs);
        var modelId = Encoding.UTF8.GetString(reader.Bytes(reader.UInt16()));
        if (reader.Byte() != 2 || !Enum.IsDefined(dtype) || !Enum.IsDefined(combine))
        {
            throw new InvalidDataException("unknown dtype, combine mode or rank");
        }

        // Sizes are checked against the bytes left before anything is allocated: a hostile shape cannot overflow or
        // ask for gigabytes.
        var (count, dim) = (reader.UInt32(), reader.UInt32());
        var elementBytes = dtype == TokenDType.Float16 ? 2L : 4L;
        if ((ulong)count * dim * (ulong)elementBytes > (ulong)reader.Remaining)
        {
            throw new InvalidDataException($"shape {count}×{dim} needs more bytes than the blob holds");
        }

        var values = new float[(int)(count * dim)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = dtype == TokenDType.Float16 ? (float)reader.Half() : reader.Single();
        }

        var embeddingLength = reader.UInt32();
        if (version == 1 ? (ulong)reader.Remaining != embeddingLength * 4UL : (ulong)reader.Remaining < (embeddingLength * 4UL) + 4)
        {
            throw new InvalidDataException("payload length does not match the shape");
        }

        var embedding = new float[embeddingLength];

        for (var i = 0; i < embedding.Length; i++)
        {
            embedding[i] = reader.Single();
        }

        IReadOnlyList<StoredReference> stored = [];
        if (version >= 2)
        {
            var length = reader.UInt32();
            if ((ulong)reader.Remaining != length)
            {
                throw new InvalidDataException("the references' length does not match the blob");
            }

            stored = ReadReferences(reader.Bytes((int)length));
        }

        var tokens = new IdentityTokens
        {
            ModelId = modelId,
            Untrained = (flags & 1) != 0,
            TokenCount = (int)count,
            TokenDim = (int)dim,
            Values = values,
            FaceEmbedding = embedding,
            ReferenceCount = references,
            CombineMode = combine,
            CreatedAt = created,
            References = stored,
        };
        return (tokens, dtype);
    }

    private static List<StoredReference> ReadReferences(ReadOnlySpan<byte> json)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<List<StoredReference>>(json, ReferenceJson) ?? throw new InvalidDataException("the references are null");
            return stored.Any(r => r is null || r.ContentHash is null || r.Quality is null) ? throw new InvalidDataException("a reference is incomplete") : stored;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the references do not parse: {e.Message}", e);
        }
    }

    private ref struct SpanWriter(Span<byte> target)
    {
        private readonly Span<byte> target = target;
        private int position;

        public void Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(target[position..]);
            position += value.Length;
        }

        public void Byte(byte value) => target[position++] = value;

        public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Next(2), value);

        public void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Next(4), value);

        public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Next(8), value);

        public void Half(Half value) => BinaryPrimitives.WriteHalfLittleEndian(Next(2), value);

        public void Single(float value) => BinaryPrimitives.WriteSingleLittleEndian(Next(4), value);

        private Span<byte> Next(int length)
        {
            var slice = target.Slice(position, length);
            position += length;
            return slice;
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> source)
    {
        private readonly ReadOnlySpan<byte> source = source;
        private int position;

        public readonly int Remaining => source.Length - position;

        public void Skip(int length) => Take(length);

        public ReadOnlySpan<byte> Bytes(int length) => Take(length);

        public byte Byte() => Take(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public Half Half() => BinaryPrimitives.ReadHalfLittleEndian(Take(2));

        public float Single() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > Remaining)
            {
                throw new InvalidDataException("blob ends early");
            }

            var slice = source.Slice(position, length);
            position += length;
            return slice;
        }
    }
}
