using Likeness.Encoder;
using Likeness.Generator;
using Likeness.ServiceDefaults.Hosting;

namespace Likeness.Host;

/// <summary>Both services in one process on one port, sharing the token store (in memory unless Redis is configured) and the identity model.</summary>
public static class EmbeddedApp
{
    /// <summary>Port the embedded host listens on when no URL is configured.</summary>
    public const int DefaultPort = 5000;

    /// <summary>Port of the browser endpoint (the preview page) when <c>BrowserUrl</c> is not configured.</summary>
    public const int DefaultBrowserPort = 5080;

    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(DefaultPort, DefaultBrowserPort);
        builder.Services.AddIdentityEncoder(builder.Configuration).AddGenerator(builder.Configuration);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIdentityEncoder();
        app.MapGenerator();
        return app;
    }
}
