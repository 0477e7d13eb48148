using Likeness.Generator;

GeneratorApp.Create(args).Run();
