namespace Likeness.Identity.Tokens;

/// <summary>Element type identity tokens are stored in.</summary>
public enum TokenDType : byte
{
    Float32 = 1,

    /// <summary>Half the bytes; identity tokens lose nothing that matters at this precision.</summary>
    Float16 = 2,
}
