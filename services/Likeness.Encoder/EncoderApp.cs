using Likeness.ServiceDefaults.Hosting;

namespace Likeness.Encoder;

/// <summary>The encoder host, built the same way by <c>Program</c> and by tests that run it on a loopback port.</summary>
public static class EncoderApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(EncoderServiceExtensions.DefaultPort);
        builder.Services.AddIdentityEncoder(builder.Configuration);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIdentityEncoder();
        return app;
    }
}
