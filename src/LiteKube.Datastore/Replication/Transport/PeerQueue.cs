using System.Threading.Channels;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// One peer's outgoing messages: a bounded queue that never blocks the writer, drained in order
/// by one task that hands the sender everything queued so far (up to a batch) at once.
/// </summary>
internal sealed class PeerQueue : IAsyncDisposable
{
    private readonly Channel<Message> channel;
    private readonly CancellationTokenSource stop = new();
    private readonly Func<IReadOnlyList<Message>, CancellationToken, ValueTask> sendBatch;
    private readonly int maxBatch;
    private readonly Task drain;

    /// <param name="sendBatch">Sends one batch in order; it handles (and reports) its own failures:
    /// an exception other than cancellation ends nothing but that batch.</param>
    public PeerQueue(int capacity, int maxBatch, Func<IReadOnlyList<Message>, CancellationToken, ValueTask> sendBatch)
    {
        channel = Channel.CreateBounded<Message>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        this.maxBatch = maxBatch;
        this.sendBatch = sendBatch;
        drain = Task.Run(DrainAsync);
    }

    /// <summary>False when the queue is full or closed: the message is dropped.</summary>
    public bool TryEnqueue(Message message) => channel.Writer.TryWrite(message);

    private async Task DrainAsync()
    {
        var reader = channel.Reader;
        var batch = new List<Message>(Math.Min(maxBatch, 64));
        try
        {
            while (await reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (batch.Count < maxBatch && reader.TryRead(out var message))
                {
                    batch.Add(message);
                }
                try
                {
                    await sendBatch(batch, stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    // The sender reports its own failures; one bad batch must not end the peer.
                }
                batch.Clear();
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Stopping: a send cut short may fail with its own exception type (an RpcException
            // for a cancelled call), not only OperationCanceledException.
        }
    }

    /// <summary>Stops sending. A send that cancellation cannot interrupt (a synchronous delivery
    /// stuck in an in-process receiver) is abandoned after a while; it sends nothing more after it
    /// returns.</summary>
    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await drain.WaitAsync(AbandonAfter).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(2);
}
