using Likeness.Cli.Commands;

return args.FirstOrDefault() switch
{
    "train-backbone" => CommandLine.Run(args[1..], TrainBackboneCommand.Bind),
    "train-video" => CommandLine.Run(args[1..], TrainVideoCommand.Bind),
    "evaluate" => CommandLine.Run(args[1..], EvaluateCommand.Bind),
    "cast-photos" => CommandLine.Run(args[1..], CastPhotosCommand.Bind),
    _ => Usage.Print(),
};
