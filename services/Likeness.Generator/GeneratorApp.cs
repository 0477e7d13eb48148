using Likeness.ServiceDefaults.Hosting;

namespace Likeness.Generator;

/// <summary>The generator host, built the same way by <c>Program</c> and by tests that run it on a loopback port.</summary>
public static class GeneratorApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(GeneratorServiceExtensions.DefaultPort, GeneratorServiceExtensions.DefaultBrowserPort);
        // Alone, the generator's page encodes through the standalone encoder's browser endpoint (embedded: its own origin).
        builder.Configuration[PreviewPage.PreviewPageEndpoints.EncoderUrlKey] ??= $"http://127.0.0.1:{ServiceDefaultsExtensions.EncoderBrowserPort}";
        builder.Services.AddGenerator(builder.Configuration);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGenerator();
        return app;
    }
}
