namespace Likeness.ServiceDefaults.Security;

/// <summary>How callers prove who they are; <c>ApiKeys, Jwt</c> accepts either.</summary>
[Flags]
public enum AuthMode
{
    /// <summary>No authentication: every caller is the same anonymous principal (the embedded demo on loopback).</summary>
    None = 0,

    /// <summary><c>authorization: Bearer KEY</c>, the key looked up in the file <see cref="AuthOptions.ApiKeysFile"/>.</summary>
    ApiKeys = 1,

    /// <summary><c>authorization: Bearer JWT</c>, validated against <see cref="AuthOptions.Jwt"/>.</summary>
    Jwt = 2,
}
