using Likeness.Identity.Images;
using Likeness.Identity.Store;

namespace Likeness.Identity.Encoder;

/// <summary>What an encode produced: the stored identity, whether the model ran, and each reference's quality.</summary>
public sealed record EncodeResult(StoredIdentity Identity, bool CacheHit, IReadOnlyList<ReferenceQuality> Quality);
