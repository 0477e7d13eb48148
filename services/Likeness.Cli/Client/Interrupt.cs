using System.Runtime.InteropServices;

namespace Likeness.Cli.Client;

/// <summary>Ctrl-C (SIGINT) as a cancellation token instead of the default process exit, so a command can clean up on the server first.</summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration registration;

    public Interrupt()
    {
        registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            source.Cancel();
        });
    }

    public CancellationToken Token => source.Token;

    public bool Requested => source.IsCancellationRequested;

    public void Dispose()
    {
        registration.Dispose();
        source.Dispose();
    }
}
