using System.Runtime.InteropServices;

namespace LiteKube.Cli;

/// <summary>Turns the first SIGTERM or SIGINT into a graceful stop. A second one while stopping
/// gets the default behaviour (the process ends at once), for a person who does not want to
/// wait for in-flight requests.</summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly PosixSignalRegistration sigterm;
    private readonly PosixSignalRegistration sigint;

    public ShutdownSignals()
    {
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    public CancellationToken Stopping => stopping.Token;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var any = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, any.Token);
        }
        catch (OperationCanceledException)
        {
            // A stop was asked for; that is the point of waiting.
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (stopping.IsCancellationRequested)
        {
            return; // not cancelled: the default handler ends the process
        }
        context.Cancel = true;
        stopping.Cancel();
    }

    public void Dispose()
    {
        sigterm.Dispose();
        sigint.Dispose();
        stopping.Dispose();
    }
}
