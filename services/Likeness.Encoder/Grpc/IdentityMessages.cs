using System.Buffers.Binary;
using Google.Protobuf.WellKnownTypes;
using Google.Protobuf;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Identity.Encoder;
using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Identity.Scoring;
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
    /// <summary>The request as received: wire numbers kept, an unset (0) enum as null; <see cref="EncodeRequestValidator"/> checks it.</summary>
    public static ReceivedEncodeRequest ToReceived(EncodeIdentityRequest request) => new(
        request.References.Select(ToReceived).ToList(),
        request.CombineMode == ProtoCombineMode.Unspecified ? null : (int)request.CombineMode,
        request.Family == IdentityFamily.Unspecified ? null : (int)request.Family);

    /// <summary>One image as received: its bytes, and its declared format's wire number (null when unstated).</summary>
    public static ReceivedImage ToReceived(Image image) =>
        new(image.Data.Memory, image.Format == ImageFormat.Unspecified ? null : (int)image.Format);

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
            SubjectBox = quality.Subject is { } box ? ToBox(box) : null,
            Score = quality.Score,
            FaceFinder = quality.FaceFinder,
        };
        message.Faces.AddRange(quality.Faces.Select(ToFace));
        message.Warnings.AddRange(quality.Warnings.Select(w => new Contracts.Identity.V1.QualityWarning { Code = ToWarningCode(w.Code), Message = w.Message }));
        return message;
    }

    /// <summary>A found face in the proto's terms: box, six landmarks (or none), score.</summary>
    public static Face ToFace(FoundFace face)
    {
        var message = new Face { Box = ToBox(face.Box), Score = face.Score };
        message.Landmarks.AddRange(face.Landmarks.Select(p => new Point { X = p.X, Y = p.Y }));
        return message;
    }

    /// <summary>A normalised box in the proto's terms.</summary>
    public static Box ToBox(NormalizedBox box) => new() { X = box.X, Y = box.Y, Width = box.Width, Height = box.Height };

    /// <summary>The scored clip in the proto's terms.</summary>
    public static ScoreConsistencyResponse ToResponse(ClipScore score)
    {
        var response = new ScoreConsistencyResponse { Threshold = score.Threshold, Model = new ModelRef { ModelId = score.ModelId } };
        response.Frames.AddRange(score.Frames.Select(ToFrame));
        response.People.AddRange(score.People.Select(p =>
        {
            var person = new Contracts.Identity.V1.PersonScore
            {
                Name = p.Name,
                FramesPresent = (uint)p.FramesPresent,
                MissingFraction = p.MissingFraction,
                FaceSim = p.FaceSim,
                Drift = p.Drift,
                IdentityLoss = p.IdentityLoss,
                Leakage = p.Leakage,
            };
            person.ConfusedWith.AddRange(p.ConfusedWith.Select(c => (uint)c));
            return person;
        }));
        return response;
    }

    private static Contracts.Identity.V1.FrameScore ToFrame(Identity.Scoring.FrameScore frame)
    {
        var message = new Contracts.Identity.V1.FrameScore { Index = (uint)frame.Index };
        message.Faces.AddRange(frame.Faces.Select(f =>
        {
            var scored = new Contracts.Identity.V1.ScoredFace { Face = ToFace(f.Face) };
            if (f.Person is { } person)
            {
                scored.Person = (uint)person;
            }

            scored.Comparisons.AddRange(f.Comparisons.Select(c =>
                new Contracts.Identity.V1.FaceComparison { Distance = c.Distance, Similarity = c.Similarity, SamePerson = c.SamePerson }));
            return scored;
        }));
        return message;
    }

    private static ProtoWarningCode ToWarningCode(DomainWarningCode code) => code switch
    {
        DomainWarningCode.LowResolution => ProtoWarningCode.LowResolution,
        DomainWarningCode.Underexposed => ProtoWarningCode.Underexposed,
        DomainWarningCode.Overexposed => ProtoWarningCode.Overexposed,
        DomainWarningCode.Blurry => ProtoWarningCode.Blurry,
        DomainWarningCode.NoFace => ProtoWarningCode.NoFace,
        DomainWarningCode.FaceTooSmall => ProtoWarningCode.FaceTooSmall,
        DomainWarningCode.SeveralFaces => ProtoWarningCode.SeveralFaces,
        DomainWarningCode.HeadTurned => ProtoWarningCode.HeadTurned,
        DomainWarningCode.Duplicate => ProtoWarningCode.Duplicate,
        DomainWarningCode.AnimatedFirstFrame => ProtoWarningCode.AnimatedFirstFrame,
        _ => ProtoWarningCode.Unspecified,
    };
}
