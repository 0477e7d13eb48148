using Likeness.ServiceDefaults.Hosting;

namespace Likeness.Generator;

/// <summary>The generator host, built the same way by <c>Program</c> and by tests that run it on a loopback port.</summary>
public static class GeneratorApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(GeneratorServiceExtensions.DefaultPort, GeneratorServiceExtensions.DefaultBrowserPort);
        builder.Services.AddGenerator(builder.Configuration);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGenerator();
        return app;
    }
}
