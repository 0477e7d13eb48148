namespace Likeness.Identity.Encoder;

/// <summary>
/// An <c>EncodeIdentity</c> request as it arrived: absent values null (the proto's 0 for an unset enum becomes null
/// here and only here), enum values as their wire numbers, so nothing the client sent is lost before
/// <see cref="EncodeRequestValidator"/> checks it.
/// </summary>
/// <param name="CombineMode">Wire number of <c>combine_mode</c>, or null when unset.</param>
/// <param name="Family">Wire number of <c>family</c>, or null when unset.</param>
public sealed record ReceivedEncodeRequest(IReadOnlyList<ReceivedImage> References, int? CombineMode, int? Family);

/// <summary>One image as it arrived: its bytes and the wire number of the format the client declared (null when unstated).</summary>
public sealed record ReceivedImage(ReadOnlyMemory<byte> Data, int? Format);
