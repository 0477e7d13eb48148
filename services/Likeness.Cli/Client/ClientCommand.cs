using Grpc.Core;
using Likeness.Cli.Commands;

namespace Likeness.Cli.Client;

/// <summary>What every client command shares: the service addresses, <c>--json</c>, and failures turned into exit codes.</summary>
internal static class ClientCommand
{
    /// <summary>The options of client commands that take no value.</summary>
    public static readonly IReadOnlySet<string> Switches = new HashSet<string>(StringComparer.Ordinal) { "--json" };

    public static Func<Task<int>> Bind(CommandLine options, Func<LikenessClients, Output, Task<int>> work)
    {
        var addresses = ServiceAddresses.Bind(options);
        var output = new Output(options.Flag("--json"));
        return async () =>
        {
            using var clients = new LikenessClients(addresses);
            try
            {
                return await work(clients, output);
            }
            catch (RpcException e)
            {
                var detail = e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is not null
                    ? $"cannot reach the service ({addresses.Encoder}, {addresses.Generator}): {e.Status.Detail}"
                    : e.Status.Detail;
                return output.Fail(ExitCodes.From(e.StatusCode), e.StatusCode, $"{Output.StatusName(e.StatusCode)}: {detail}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return output.Fail(ExitCodes.Rejected, StatusCode.InvalidArgument, e.Message);
            }
        };
    }
}
