using Likeness.Cli.Client;

// Every subcommand is registered here, once.
return await LikenessCommandLine.RunAsync(args,
    EncodeCommand.Create(),
    GenerateCommand.Create(),
    ExtendCommand.Create(),
    WatchCommand.Create(),
    CancelCommand.Create(),
    ScoreCommand.Create(),
    DescribeCommand.Create(),
    DeleteCommand.Create());
