using Likeness.Benchmarks;

return await BenchCommand.RunAsync(args);
