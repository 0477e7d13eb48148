using Likeness.Identity.Tokens;

namespace Likeness.Identity.Store;

/// <summary>An identity as the store holds it.</summary>
public sealed record StoredIdentity(string IdentityId, IdentityTokens Tokens, TokenDType StorageDType, DateTimeOffset? ExpiresAt);
