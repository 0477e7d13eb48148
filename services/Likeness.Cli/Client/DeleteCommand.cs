using Likeness.Cli.Commands;
using Likeness.Contracts.Identity.V1;

namespace Likeness.Cli.Client;

/// <summary><c>likeness delete &lt;identity&gt;</c>: removes a stored identity.</summary>
internal static class DeleteCommand
{
    public static Func<Task<int>> Bind(CommandLine options)
    {
        var identityId = options.Positionals() is [var one] ? one : throw new FormatException("delete takes one identity id.");
        return ClientCommand.Bind(options, async (clients, output) =>
        {
            await clients.Encoder.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = identityId });
            output.Emit(() => new System.Text.Json.Nodes.JsonObject { ["deleted"] = identityId });
            output.Say($"Deleted {identityId}");
            return ExitCodes.Ok;
        });
    }
}
