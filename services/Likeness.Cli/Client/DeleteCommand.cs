using System.CommandLine;
using Likeness.Contracts.Identity.V1;

namespace Likeness.Cli.Client;

/// <summary><c>likeness delete &lt;identity&gt;</c>: removes a stored identity.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var identity = new Argument<string>("identity") { Description = "The identity id." };
        return new Command("delete", "Remove a stored identity.") { identity }.WithAction(parse => async (clients, output) =>
        {
            var identityId = parse.GetValue(identity)!;
            await clients.Encoder.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = identityId });
            output.Emit(() => new System.Text.Json.Nodes.JsonObject { ["deleted"] = identityId });
            output.Say($"Deleted {identityId}");
            return ExitCodes.Ok;
        });
    }
}
