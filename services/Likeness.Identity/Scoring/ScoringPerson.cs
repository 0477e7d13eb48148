using Likeness.Identity.Images;

namespace Likeness.Identity.Scoring;

/// <summary>One person a clip should keep: reference images, or a stored identity of the photo family (exactly one of the two).</summary>
/// <param name="Name">A label for reports; empty gives "person N".</param>
public sealed record ScoringPerson(string Name, IReadOnlyList<ReferenceImage> References, string? IdentityId);
