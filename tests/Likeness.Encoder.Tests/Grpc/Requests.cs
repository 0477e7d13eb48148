using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;

namespace Likeness.Encoder.Tests.Grpc;

internal static class Requests
{
    public static EncodeIdentityRequest Encode(params byte[][] images)
    {
        var request = new EncodeIdentityRequest();
        request.References.AddRange(images.Select(i => new Image { Data = ByteString.CopyFrom(i) }));
        return request;
    }

    /// <summary>The field named in the status's google.rpc.BadRequest detail.</summary>
    public static string? BadField(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.SingleOrDefault()?.Field;
}
