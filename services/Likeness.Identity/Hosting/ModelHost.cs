using Likeness.Core.Errors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Likeness.Identity.Hosting;

/// <summary>Loads a model in the background at start-up and holds it; readiness follows it.</summary>
/// <remarks>A model that fails to load stops the process with exit code 1: it cannot serve, and a restart says so loudly.</remarks>
public abstract class ModelHost<TModel>(IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
    where TModel : class, IDisposable
{
    private readonly TaskCompletionSource<TModel> loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the model is, for messages: "identity model", "video model".</summary>
    protected abstract string Description { get; }

    /// <summary>The model, or null while it loads.</summary>
    public TModel? Model => loaded.Task.IsCompletedSuccessfully ? loaded.Task.Result : null;

    /// <summary>Completes when the model is ready (or faults when it cannot load).</summary>
    public Task<TModel> WhenLoaded => loaded.Task;

    /// <summary>The model, or UNAVAILABLE while it loads.</summary>
    public TModel Require() =>
        Model ?? throw new LikenessException(LikenessErrorKind.Unavailable, $"The {Description} is still loading; retry shortly.");

    /// <summary>Builds or reads the model; runs once, on a pool thread.</summary>
    protected abstract TModel Load();

    /// <summary>A configured path: rooted as given, otherwise relative to the application's folder, where models/ is shipped.</summary>
    protected static string ResolvePath(string path) => Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);

    /// <summary>Logs what was loaded.</summary>
    protected abstract void Announce(TModel model);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            var model = Load();
            Announce(model);
            loaded.SetResult(model);
        }
        catch (Exception e)
        {
            IdentityLog.ModelLoadFailed(logger, Description, e);
            loaded.TrySetException(e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }, stoppingToken);

    public override void Dispose()
    {
        Model?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
