using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Core.Errors;
using Likeness.Identity.Encoder;
using Likeness.Identity.Families;
using Likeness.Identity.Hosting;
using Likeness.Identity.Images;
using Likeness.Identity.Scoring;
using Likeness.Identity.Store;
using Microsoft.Extensions.Options;

namespace Likeness.Encoder.Grpc;

/// <summary>likeness.identity.v1.IdentityEncoder: maps messages to the identity domain and back; errors map in the interceptor.</summary>
public sealed class IdentityEncoderService(
    IdentityEncoding encoding,
    ConsistencyScoring scoring,
    IdentityFamilies families,
    IdentityModelHost modelHost,
    IOptions<ReferenceImageOptions> references,
    IOptions<IdentityEncodingOptions> encodingOptions,
    IOptions<TokenStoreOptions> storeOptions,
    IOptions<ScoringOptions> scoringOptions) : IdentityEncoder.IdentityEncoderBase
{
    public override async Task<EncodeIdentityResponse> EncodeIdentity(EncodeIdentityRequest request, ServerCallContext context)
    {
        var result = await encoding.EncodeAsync(
            EncodeRequestValidator.Validate(IdentityMessages.ToReceived(request), references.Value), context.CancellationToken);
        var response = new EncodeIdentityResponse { Identity = IdentityMessages.ToDescriptor(result.Identity), CacheHit = result.CacheHit };
        response.Quality.AddRange(result.Quality.Select(IdentityMessages.ToQuality));
        return response;
    }

    public override async Task<GetIdentityResponse> GetIdentity(GetIdentityRequest request, ServerCallContext context)
    {
        var identity = await encoding.GetAsync(request.IdentityId, context.CancellationToken);
        return new GetIdentityResponse
        {
            Identity = IdentityMessages.ToDescriptor(identity),
            Tokens = request.IncludeTokens ? IdentityMessages.ToTensor(identity) : null,
        };
    }

    public override async Task<ScoreConsistencyResponse> ScoreConsistency(IAsyncStreamReader<ScoreConsistencyRequest> requestStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken) || requestStream.Current.PartCase != ScoreConsistencyRequest.PartOneofCase.People)
        {
            throw LikenessException.InvalidArgument("people", "must come first, in the stream's first message.");
        }

        var people = requestStream.Current.People;
        var scorer = await scoring.StartAsync(
            people.People.Select((p, i) => new Identity.Scoring.ScoringPerson(
                p.Name,
                p.References.Select((image, r) => EncodeRequestValidator.Image(IdentityMessages.ToReceived(image), $"people[{i}].references[{r}]")).ToList(),
                p.IdentityId)).ToList(),
            people.HasThreshold ? people.Threshold : null,
            cancellationToken);
        await foreach (var message in requestStream.ReadAllAsync(cancellationToken))
        {
            var field = $"frames[{scorer.FrameCount}]";
            if (message.PartCase != ScoreConsistencyRequest.PartOneofCase.Frame)
            {
                throw LikenessException.InvalidArgument(field, "must be a frame: people come once, in the first message.");
            }

            await scorer.AddAsync(EncodeRequestValidator.Image(IdentityMessages.ToReceived(message.Frame), field), cancellationToken);
        }

        return IdentityMessages.ToResponse(scorer.Finish());
    }

    public override async Task<DeleteIdentityResponse> DeleteIdentity(DeleteIdentityRequest request, ServerCallContext context)
    {
        await encoding.DeleteAsync(request.IdentityId, context.CancellationToken);
        return new DeleteIdentityResponse();
    }

    public override Task<DescribeEncoderResponse> DescribeEncoder(DescribeEncoderRequest request, ServerCallContext context)
    {
        var model = modelHost.Require();
        var limits = references.Value;
        return Task.FromResult(new DescribeEncoderResponse
        {
            Model = new ModelRef { ModelId = model.ModelId, Untrained = model.Untrained },
            TokenShape = { model.Config.IdentityTokens, model.Config.TokenDim },
            StorageDtype = IdentityMessages.ToDType(encodingOptions.Value.StorageDType),
            TokenTtlSeconds = (ulong)storeOptions.Value.TimeToLive.TotalSeconds,
            Limits = new EncoderLimits
            {
                MinReferences = (uint)limits.MinReferences,
                MaxReferences = (uint)limits.MaxReferences,
                MaxReferenceBytes = (ulong)limits.MaxReferenceBytes,
                MaxPixels = (ulong)limits.MaxPixels,
                MaxSide = (uint)limits.MaxSide,
                MinSide = (uint)limits.MinSide,
                MaxRequestBytes = (ulong)EncoderServiceExtensions.MaxRequestBytes(limits),
                MaxScoringFrames = (uint)scoringOptions.Value.MaxFrames,
                MaxScoringPeople = (uint)scoringOptions.Value.MaxPeople,
            },
            PhotoModel = new ModelRef { ModelId = families.RequirePhotoFaces().ModelId },
            DefaultScoringThreshold = ConsistencyScoring.DefaultThreshold,
        });
    }
}
