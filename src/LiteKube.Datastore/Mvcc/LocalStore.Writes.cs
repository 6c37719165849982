using System.Threading.Channels;

namespace LiteKube.Datastore.Mvcc;

public sealed partial class LocalStore
{
    private readonly Channel<PendingCommand> _commands = Channel.CreateUnbounded<PendingCommand>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private volatile Exception? _failure;

    private sealed record PendingCommand(Command Command, TaskCompletionSource<object> Completion);

    private Task<object> SubmitAsync(Command command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfStopped();
        if (command is TxnCommand txn && RequestSize.Of(txn.Txn) > _options.MaxRequestBytes)
        {
            throw new DatastoreException(DatastoreError.RequestTooLarge, "etcdserver: request is too large");
        }

        // Answers run on the thread pool, never on the writer thread.
        var completion = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new PendingCommand(command, completion)))
        {
            throw Unavailable();
        }

        // A canceled caller stops waiting; the command itself may still be applied, as in etcd.
        return completion.Task.WaitAsync(cancellationToken);
    }

    private void WriterLoop()
    {
        var group = new List<PendingCommand>(_options.MaxGroupSize);
        var reader = _commands.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (group.Count < _options.MaxGroupSize && reader.TryRead(out var next))
            {
                group.Add(next);
            }

            ApplyGroup(group);
            group.Clear();
        }

        // Closed: whatever is still queued will never run.
        while (reader.TryRead(out var left))
        {
            left.Completion.TrySetException(Unavailable());
        }
    }

    /// <summary>Applies commands in order, syncs once, then publishes and answers them all.</summary>
    private void ApplyGroup(List<PendingCommand> group)
    {
        if (_failure is not null)
        {
            group.ForEach(p => p.Completion.TrySetException(Unavailable()));
            return;
        }

        var outcomes = new (object? Response, Exception? Error)[group.Count];
        var events = new List<WatchEvent>();
        var startRevision = _machine.Revision;
        var startCompact = _machine.CompactRevision;
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                try
                {
                    var applied = _machine.Apply(group[i].Command);
                    outcomes[i] = (applied.Response, null);
                    events.AddRange(applied.Events);
                }
                catch (Exception e) when (e is not DatastoreException { Error: DatastoreError.Unavailable })
                {
                    // A rejected command (or a bug in applying one) fails alone: the state
                    // machine writes a command's batch only after the command has fully run.
                    outcomes[i] = (null, e);
                }
            }

            if (_machine.Revision != startRevision || _machine.CompactRevision != startCompact || group.Any(g => g.Command is LeaseGrantCommand or LeaseRevokeCommand))
            {
                _machine.Sync();
            }
        }
        catch (Exception e)
        {
            // The disk refused a write: what is in memory may no longer match it. Stop serving
            // rather than risk answering from a state that a restart would not have.
            _failure = e;
            group.ForEach(p => p.Completion.TrySetException(Unavailable()));
            return;
        }

        if (_machine.CompactRevision != startCompact)
        {
            Volatile.Write(ref _compactRevision, _machine.CompactRevision);
            _compactSignal.Release();
        }

        _hub.Publish(_machine.Revision, events);
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                group[i].Completion.TrySetException(error);
            }
            else
            {
                group[i].Completion.TrySetResult(outcomes[i].Response!);
            }
        }
    }
}
