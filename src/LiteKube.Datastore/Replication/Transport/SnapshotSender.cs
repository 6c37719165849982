using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// Sends one peer's snapshots one after another, beside (never inside) its message queue, so a
/// long payload does not hold up heartbeats. The send delegate reports its own outcome.
/// </summary>
internal sealed class SnapshotSender : IAsyncDisposable
{
    private readonly Func<Message, Task> send;
    private readonly Lock gate = new();
    private Task tail = Task.CompletedTask;
    private bool closed;

    public SnapshotSender(Func<Message, Task> send) => this.send = send;

    public void Post(Message message)
    {
        lock (gate)
        {
            if (closed)
            {
                return;
            }
            tail = tail.ContinueWith(_ => send(message), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task last;
        lock (gate)
        {
            closed = true;
            last = tail;
        }
        try
        {
            await last.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
