using System.Runtime.InteropServices;

namespace LiteKube.Benchmarks;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a cancellation, so the run unwinds through its
/// finally blocks and stops both servers and removes their data dirs. A second signal is left
/// to its default action (exit at once) for a user who really wants out.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        Console.Error.WriteLine($"bench: {context.Signal}: stopping servers and cleaning up");
        _source.Cancel();
    }
}
