using Likeness.ServiceDefaults.Hosting;

namespace Likeness.Encoder;

/// <summary>The encoder host, built the same way by <c>Program</c> and by tests that run it on a loopback port.</summary>
public static class EncoderApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(EncoderServiceExtensions.DefaultPort, ServiceDefaultsExtensions.EncoderBrowserPort, ServiceDefaultsExtensions.EncoderBrowserUrlKey);
        builder.Services.AddIdentityEncoder(builder.Configuration).AddEncoderBrowserAccess(builder.Configuration);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.UseEncoderBrowserAccess();
        app.MapIdentityEncoder();
        return app;
    }
}
