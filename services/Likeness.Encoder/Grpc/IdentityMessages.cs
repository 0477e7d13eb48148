using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Likeness.Contracts.Common.V1;
using Likeness.Core.Errors;
using Likeness.Identity.Images;
using Likeness.Identity.Store;
using Likeness.Identity.Tokens;
using DomainCombineMode = Likeness.Identity.Tokens.CombineMode;
using DomainQuality = Likeness.Identity.Images.ReferenceQuality;
using DomainWarningCode = Likeness.Identity.Images.QualityWarningCode;
using ProtoCombineMode = Likeness.Contracts.Common.V1.CombineMode;
using ProtoQuality = Likeness.Contracts.Identity.V1.ReferenceQuality;
using ProtoWarningCode = Likeness.Contracts.Identity.V1.QualityWarningCode;

namespace Likeness.Encoder.Grpc;

/// <summary>Maps identity messages to the domain and back.</summary>
internal static class IdentityMessages
{
    public static ReferenceImage ToReference(Image image, int index) => new(image.Data.Memory, image.Format switch
    {
        ImageFormat.Unspecified => null,
        ImageFormat.Png => EncodedImageFormat.Png,
        ImageFormat.Jpeg => EncodedImageFormat.Jpeg,
        ImageFormat.Webp => EncodedImageFormat.Webp,
        _ => throw LikenessException.InvalidArgument($"references[{index}].format", $"{image.Format} is not accepted; send PNG, JPEG or WebP."),
    });

    public static DomainCombineMode ToCombineMode(ProtoCombineMode mode) => mode switch
    {
        ProtoCombineMode.Unspecified or ProtoCombineMode.Mean => DomainCombineMode.Mean,
        ProtoCombineMode.QualityWeighted => DomainCombineMode.QualityWeighted,
        _ => throw LikenessException.InvalidArgument("combine_mode", $"{mode} is not a known combine mode."),
    };

    public static DType ToDType(TokenDType dtype) => dtype == TokenDType.Float16 ? DType.Float16 : DType.Float32;

    public static IdentityDescriptor ToDescriptor(StoredIdentity identity)
    {
        var tokens = identity.Tokens;
        return new IdentityDescriptor
        {
            IdentityId = identity.IdentityId,
            Model = new ModelRef { ModelId = tokens.ModelId, Untrained = tokens.Untrained },
            TokenShape = { tokens.TokenCount, tokens.TokenDim },
            StorageDtype = ToDType(identity.StorageDType),
            ReferenceCount = (uint)tokens.ReferenceCount,
            CombineMode = tokens.CombineMode == DomainCombineMode.QualityWeighted ? ProtoCombineMode.QualityWeighted : ProtoCombineMode.Mean,
            CreatedAt = Timestamp.FromDateTimeOffset(tokens.CreatedAt),
            ExpiresAt = identity.ExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
        };
    }

    /// <summary>The tokens in their stored dtype, little-endian.</summary>
    public static Tensor ToTensor(StoredIdentity identity)
    {
        var values = identity.Tokens.Values;
        var half = identity.StorageDType == TokenDType.Float16;
        var bytes = new byte[values.Length * (half ? 2 : 4)];
        for (var i = 0; i < values.Length; i++)
        {
            if (half)
            {
                BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
            }
            else
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            }
        }

        return new Tensor
        {
            Dtype = ToDType(identity.StorageDType),
            Shape = { identity.Tokens.TokenCount, identity.Tokens.TokenDim },
            Data = ByteString.CopyFrom(bytes),
        };
    }

    public static ProtoQuality ToQuality(DomainQuality quality)
    {
        var message = new ProtoQuality
        {
            Index = (uint)quality.Index,
            Format = quality.Format switch
            {
                EncodedImageFormat.Png => ImageFormat.Png,
                EncodedImageFormat.Jpeg => ImageFormat.Jpeg,
                _ => ImageFormat.Webp,
            },
            Width = (uint)quality.Width,
            Height = (uint)quality.Height,
            MeanLuma = quality.MeanLuma,
            DarkClippedFraction = quality.DarkClippedFraction,
            BrightClippedFraction = quality.BrightClippedFraction,
            Sharpness = quality.Sharpness,
            SubjectFound = quality.Subject is not null,
            SubjectBox = quality.Subject is { } box ? new Box { X = box.X, Y = box.Y, Width = box.Width, Height = box.Height } : null,
            Score = quality.Score,
        };
        message.Warnings.AddRange(quality.Warnings.Select(w => new Contracts.Identity.V1.QualityWarning { Code = ToWarningCode(w.Code), Message = w.Message }));
        return message;
    }

    private static ProtoWarningCode ToWarningCode(DomainWarningCode code) => code switch
    {
        DomainWarningCode.LowResolution => ProtoWarningCode.LowResolution,
        DomainWarningCode.Underexposed => ProtoWarningCode.Underexposed,
        DomainWarningCode.Overexposed => ProtoWarningCode.Overexposed,
        DomainWarningCode.Blurry => ProtoWarningCode.Blurry,
        DomainWarningCode.NoSubject => ProtoWarningCode.NoSubject,
        DomainWarningCode.SubjectTooSmall => ProtoWarningCode.SubjectTooSmall,
        DomainWarningCode.Duplicate => ProtoWarningCode.Duplicate,
        _ => ProtoWarningCode.Unspecified,
    };
}
