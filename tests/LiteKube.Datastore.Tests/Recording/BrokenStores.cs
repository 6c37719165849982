using System.Threading.Channels;
using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>Forwards every call to a real store; the broken stores below override one behaviour.
/// Test doubles that exist to prove the checker and validator catch real classes of bugs.</summary>
internal abstract class DelegatingStore(IKeyValueStore inner) : IKeyValueStore
{
    protected IKeyValueStore Inner { get; } = inner;

    public virtual Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default) => Inner.RangeAsync(request, cancellationToken);

    public virtual Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default) => Inner.PutAsync(request, cancellationToken);

    public Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default) => Inner.DeleteRangeAsync(request, cancellationToken);

    public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default) => Inner.TxnAsync(request, cancellationToken);

    public Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default) => Inner.CompactAsync(revision, cancellationToken);

    public virtual IWatch Watch(WatchRequest request) => Inner.Watch(request);

    public Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default) => Inner.LeaseGrantAsync(id, ttlSeconds, cancellationToken);

    public Task<long> LeaseRevokeAsync(long id, CancellationToken cancellationToken = default) => Inner.LeaseRevokeAsync(id, cancellationToken);

    public Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default) => Inner.LeaseKeepAliveAsync(id, cancellationToken);

    public Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default) => Inner.LeaseTimeToLiveAsync(id, includeKeys, cancellationToken);

    public Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default) => Inner.LeaseListAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A read cache that serves every third read of a range from the last answer it cached
/// (the bug of a watch cache or follower read served as if linearizable).</summary>
internal sealed class StaleReadStore(IKeyValueStore inner) : DelegatingStore(inner)
{
    private readonly Dictionary<string, RangeResult> _cache = [];
    private int _reads;

    public override async Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default)
    {
        var key = KvText.Bytes(request.Key) + "\n" + KvText.Bytes(request.RangeEnd ?? []);
        lock (_cache)
        {
            if (Interlocked.Increment(ref _reads) % 3 == 0 && _cache.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }
        var fresh = await Inner.RangeAsync(request, cancellationToken);
        lock (_cache)
        {
            _cache[key] = fresh;
        }
        return fresh;
    }
}

/// <summary>Acknowledges every tenth put with the revision it would have had, without writing it
/// (the bug of answering before the write is durable and then losing it).</summary>
internal sealed class DroppedWriteStore(IKeyValueStore inner) : DelegatingStore(inner)
{
    private int _puts;

    public override async Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _puts) % 10 != 0)
        {
            return await Inner.PutAsync(request, cancellationToken);
        }
        var current = await Inner.RangeAsync(new RangeRequest(request.Key), cancellationToken);
        return new PutResult(current.Revision + 1, null);
    }
}

internal enum WatchFault { Reorder, SkipEvent }

/// <summary>Every fourth batch with events is delivered late, after the next batch
/// (<see cref="WatchFault.Reorder"/>), or loses its first event (<see cref="WatchFault.SkipEvent"/>).</summary>
internal sealed class BrokenWatchStore(IKeyValueStore inner, WatchFault fault) : DelegatingStore(inner)
{
    public override IWatch Watch(WatchRequest request) => new BrokenWatch(Inner.Watch(request), fault);

    private sealed class BrokenWatch : IWatch
    {
        private readonly IWatch _inner;
        private readonly Channel<WatchBatch> _out = Channel.CreateUnbounded<WatchBatch>();
        private readonly Task _pump;

        public BrokenWatch(IWatch inner, WatchFault fault)
        {
            _inner = inner;
            _pump = PumpAsync(fault);
        }

        public ChannelReader<WatchBatch> Batches => _out.Reader;

        public void RequestProgress() => _inner.RequestProgress();

        private async Task PumpAsync(WatchFault fault)
        {
            WatchBatch? held = null;
            var withEvents = 0;
            try
            {
                await foreach (var batch in _inner.Batches.ReadAllAsync())
                {
                    var broken = batch.Events.Count > 0 && ++withEvents % 4 == 0;
                    if (broken && fault == WatchFault.SkipEvent)
                    {
                        await _out.Writer.WriteAsync(batch with { Events = batch.Events.Skip(1).ToArray() });
                        continue;
                    }
                    if (broken && held is null)
                    {
                        held = batch;
                        continue;
                    }
                    await _out.Writer.WriteAsync(batch);
                    if (held is not null)
                    {
                        await _out.Writer.WriteAsync(held);
                        held = null;
                    }
                }
            }
            finally
            {
                _out.Writer.TryComplete();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _inner.DisposeAsync();
            await _pump;
        }
    }
}
