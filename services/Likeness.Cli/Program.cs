using Likeness.Cli.Commands;

return args.FirstOrDefault() switch
{
    "train-backbone" => TrainBackboneCommand.Run(args[1..]),
    _ => Usage.Print(),
};
