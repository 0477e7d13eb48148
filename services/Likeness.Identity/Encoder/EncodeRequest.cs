using Likeness.Identity.Families;
using Likeness.Identity.Images;
using Likeness.Identity.Tokens;

namespace Likeness.Identity.Encoder;

/// <summary>A checked <c>EncodeIdentity</c> request: a reference count within the limits, every enum value known.</summary>
public sealed record EncodeRequest(IReadOnlyList<ReferenceImage> References, CombineMode Combine, IdentityFamilyKind Family);
