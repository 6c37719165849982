using System.Threading.Channels;

namespace LiteKube.Datastore.Mvcc;

public sealed partial class LocalStore
{
    private readonly Channel<PendingCommand> _commands = Channel.CreateUnbounded<PendingCommand>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;

    private sealed record PendingCommand(Command Command, TaskCompletionSource<object> Completion);

    private Task<object> SubmitAsync(Command command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _state.ThrowIfStopped();
        if (command is TxnCommand txn && RequestSize.Of(txn.Txn) > _options.MaxRequestBytes)
        {
            throw new DatastoreException(DatastoreError.RequestTooLarge, "etcdserver: request is too large");
        }

        // Answers run on the thread pool, never on the writer thread.
        var completion = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new PendingCommand(command, completion)))
        {
            throw _state.Unavailable();
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
            left.Completion.TrySetException(_state.Unavailable());
        }
    }

    /// <summary>Applies commands in order, syncs once, then publishes and answers them all.</summary>
    private void ApplyGroup(List<PendingCommand> group)
    {
        if (_state.Failure is not null)
        {
            group.ForEach(p => p.Completion.TrySetException(_state.Unavailable()));
            return;
        }

        var outcomes = new (object? Response, Exception? Error)[group.Count];
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                outcomes[i] = _state.Apply(group[i].Command);
            }

            _state.Publish(syncWrites: true);
        }
        catch (Exception e)
        {
            _state.Fail(e);
            group.ForEach(p => p.Completion.TrySetException(_state.Unavailable()));
            return;
        }

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
