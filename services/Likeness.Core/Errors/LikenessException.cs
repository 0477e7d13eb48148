namespace Likeness.Core.Errors;

/// <summary>A failure the caller can act on, with its kind and, for bad input, the offending field.</summary>
public sealed class LikenessException : Exception
{
    public LikenessException(LikenessErrorKind kind, string message, string? field = null, Exception? inner = null)
        : base(field is null ? message : $"{field}: {message}", inner)
    {
        Kind = kind;
        Field = field;
    }

    public LikenessErrorKind Kind { get; }

    /// <summary>Path of the offending request field, e.g. <c>references[2].data</c>; null when no field is at fault.</summary>
    public string? Field { get; }

    public static LikenessException InvalidArgument(string field, string message) => new(LikenessErrorKind.InvalidArgument, message, field);
}
