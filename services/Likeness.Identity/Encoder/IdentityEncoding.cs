using System.Security.Cryptography;
using Likeness.Core.Errors;
using Likeness.Identity.Families;
using Likeness.Identity.Images;
using Likeness.Identity.Store;
using Likeness.Identity.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Identity.Encoder;

/// <summary>
/// The encoder's domain: checks references, measures their quality, and turns them into identity tokens
/// stored under a content address, running the model only when the store does not already hold them.
/// </summary>
public sealed class IdentityEncoding(
    IdentityFamilies families,
    ITokenStore store,
    StoredIdentityReader reader,
    ReferenceDecoder decoder,
    IOptions<IdentityEncodingOptions> encodingOptions,
    IOptions<TokenStoreOptions> storeOptions,
    ModelSlots slots,
    IdentityEncodingMetrics metrics,
    TimeProvider time,
    ILogger<IdentityEncoding> logger)
{
    private TimeSpan? TimeToLive => storeOptions.Value.TimeToLive > TimeSpan.Zero ? storeOptions.Value.TimeToLive : null;

    /// <summary>Checks, measures and encodes the references with the request's family's finder and model, or serves them from the store.</summary>
    /// <exception cref="LikenessException">INVALID_ARGUMENT naming a reference; UNAVAILABLE while the family's model loads; RESOURCE_EXHAUSTED past the queue.</exception>
    /// <remarks>
    /// The content address is the SHA-256 of each reference's bytes, so the store is asked first. A hit whose entry
    /// holds the same references in the same order answers with the quality reports stored with the tokens, after
    /// only the checks that need no decoding (<see cref="ReferenceDecoder.CheckSignature"/>): those bytes were decoded
    /// and measured when the entry was written. Any other hit (another order, or an entry from before format
    /// version 2) decodes and measures the references again.
    /// </remarks>
    public async Task<EncodeResult> EncodeAsync(EncodeRequest request, CancellationToken cancellationToken)
    {
        var (references, combine, kind) = (request.References, request.Combine, request.Family);
        var family = families.Require(kind);
        for (var i = 0; i < references.Count; i++)
        {
            decoder.CheckSignature(references[i], i);
        }

        var hashes = references.Select(r => SHA256.HashData(r.Data.Span)).ToList();
        var identityId = IdentityIds.Compute(family.ModelId, combine, hashes);
        var cached = await TryReadAsync(identityId, family.ModelId, cancellationToken);
        if (cached is not null && cached.Tokens.References.Select(r => r.ContentHash).SequenceEqual(hashes.Select(Convert.ToHexStringLower)))
        {
            return Hit(cached, cached.Tokens.References.Select(r => r.Quality).ToList());
        }

        var checkedReferences = new List<CheckedReference>(references.Count);
        try
        {
            for (var i = 0; i < references.Count; i++)
            {
                checkedReferences.Add(decoder.Check(references[i], i, keepDetail: kind == IdentityFamilyKind.Photo));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var duplicates = checkedReferences.Select(r => !seen.Add(Convert.ToHexString(r.ContentHash))).ToList();
            var quality = await slots.RunAsync(
                () => checkedReferences.Select((r, i) => QualityAnalyzer.Analyze(r, family.Finder, duplicates[i])).ToList(), cancellationToken);
            if (cached is not null)
            {
                return Hit(cached, quality);
            }

            var weights = combine == CombineMode.QualityWeighted ? quality.Select(q => q.Score).ToArray() : [];
            var started = time.GetTimestamp();
            var encoded = await slots.RunAsync(() => family.Encode(checkedReferences, quality, weights), cancellationToken);
            var modelTime = time.GetElapsedTime(started);
            var tokens = new IdentityTokens
            {
                ModelId = family.ModelId,
                Untrained = family.Untrained,
                TokenCount = family.TokenCount,
                TokenDim = family.TokenDim,
                Values = encoded.Tokens,
                FaceEmbedding = encoded.FaceEmbedding,
                ReferenceCount = references.Count,
                CombineMode = combine,
                CreatedAt = time.GetUtcNow(),
                References = hashes.Select((hash, i) => new StoredReference(Convert.ToHexStringLower(hash), quality[i])).ToList(),
            };
            var dtype = encodingOptions.Value.StorageDType;
            await store.SetAsync(identityId, TokenBlob.Encode(tokens, dtype), TimeToLive, CancellationToken.None);
            IdentityLog.Encoded(logger, identityId, references.Count, family.ModelId, modelTime.TotalMilliseconds);
            metrics.Encoded(modelTime);
            return new EncodeResult(new StoredIdentity(identityId, tokens, dtype, time.GetUtcNow() + TimeToLive), CacheHit: false, quality);
        }
        finally
        {
            foreach (var reference in checkedReferences)
            {
                reference.Dispose();
            }
        }
    }

    private EncodeResult Hit(StoredIdentity cached, List<ReferenceQuality> quality)
    {
        IdentityLog.CacheHit(logger, cached.IdentityId, quality.Count);
        metrics.CacheHit();
        return new EncodeResult(cached, CacheHit: true, quality);
    }

    /// <exception cref="LikenessException">NOT_FOUND, DATA_LOSS (corrupt entry) or FAILED_PRECONDITION (another model's tokens).</exception>
    public Task<StoredIdentity> GetAsync(string identityId, CancellationToken cancellationToken)
    {
        IdentityIds.Validate(identityId);
        return reader.ReadAsync(identityId, families.ServedModelIds(), cancellationToken);
    }

    public async Task DeleteAsync(string identityId, CancellationToken cancellationToken)
    {
        IdentityIds.Validate(identityId);
        if (!await store.DeleteAsync(identityId, cancellationToken))
        {
            throw StoredIdentityReader.NotFound(identityId);
        }

        IdentityLog.Deleted(logger, identityId);
    }

    /// <summary>A stored identity of this model, or null when there is none or the entry is unusable (it is then re-encoded).</summary>
    private async Task<StoredIdentity?> TryReadAsync(string identityId, string modelId, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(identityId, [modelId], cancellationToken);
        }
        catch (LikenessException e) when (e.Kind is LikenessErrorKind.NotFound or LikenessErrorKind.FailedPrecondition)
        {
            return null;
        }
        catch (LikenessException e) when (e.Kind == LikenessErrorKind.DataLoss)
        {
            IdentityLog.CorruptEntryReplaced(logger, identityId, e.Message);
            return null;
        }
    }
}
