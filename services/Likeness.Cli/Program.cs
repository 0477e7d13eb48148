using Likeness.Cli.Client;
using Likeness.Cli.Commands;

return args.FirstOrDefault() switch
{
    "encode" => await CommandLine.RunAsync(args[1..], EncodeCommand.Bind, ClientCommand.Switches),
    "generate" => await CommandLine.RunAsync(args[1..], GenerateCommand.Bind, ClientCommand.Switches),
    "watch" => await CommandLine.RunAsync(args[1..], WatchCommand.Bind, ClientCommand.Switches),
    "cancel" => await CommandLine.RunAsync(args[1..], CancelCommand.Bind, ClientCommand.Switches),
    "describe" => await CommandLine.RunAsync(args[1..], DescribeCommand.Bind, ClientCommand.Switches),
    "delete" => await CommandLine.RunAsync(args[1..], DeleteCommand.Bind, ClientCommand.Switches),
    _ => Usage.Print(),
};
