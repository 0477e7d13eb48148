using Likeness.Host;
using Likeness.Host.Demo;

if (args.FirstOrDefault() == "serve")
{
    await EmbeddedApp.Create(args[1..]).RunAsync();
    return 0;
}

return await DemoCommand.RunAsync(args);
