using System.Text;
using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>
/// What one client does next: reads of a key or the whole prefix, puts (unique values, so a lost
/// write is visible), deletes, compare-and-swap txns on mod revision, txns comparing value,
/// version and create revision, and lease grant / put with lease / revoke. Remembers what it saw
/// so that compares hit as often as they miss.
/// </summary>
internal sealed class OperationMix(int client, int seed, IReadOnlyList<byte[]> keys, byte[] prefix, byte[] prefixEnd, long leaseBase)
{
    private const long LeaseTtlSeconds = 3600;
    private readonly Random _random = new(HashCode.Combine(seed, client));
    private readonly Dictionary<int, (long Mod, byte[] Value)> _seen = [];
    private readonly List<long> _leases = [];
    private int _sequence;

    public Task RunOneAsync(IKeyValueStore store, CancellationToken cancellationToken)
    {
        var key = _random.Next(keys.Count);
        var roll = _random.Next(100);
        return roll switch
        {
            < 22 => Read(store.RangeAsync(new RangeRequest(keys[key]), cancellationToken)),
            < 30 => Read(store.RangeAsync(new RangeRequest(prefix, prefixEnd), cancellationToken)),
            < 48 => store.PutAsync(new PutRequest(keys[key], NextValue()) { PrevKv = _random.Next(2) == 0 }, cancellationToken),
            < 53 => store.DeleteRangeAsync(new DeleteRangeRequest(keys[key]) { PrevKv = _random.Next(2) == 0 }, cancellationToken),
            < 55 => store.DeleteRangeAsync(new DeleteRangeRequest(prefix, prefixEnd), cancellationToken),
            < 70 => Txn(store, CompareAndSwap(key), cancellationToken),
            < 78 => Txn(store, MoveIfValue(key), cancellationToken),
            < 84 => Txn(store, CreateIfAbsent(key), cancellationToken),
            < 90 => GrantAsync(store, cancellationToken),
            < 96 => PutWithLeaseAsync(store, key, cancellationToken),
            _ => RevokeAsync(store, cancellationToken),
        };
    }

    private TxnRequest CompareAndSwap(int key)
    {
        var mod = _seen.TryGetValue(key, out var seen) ? seen.Mod : 0;
        return new TxnRequest(
            [new Compare(keys[key], CompareTarget.Mod, CompareResult.Equal) { Number = mod }],
            [new TxnPutOp(new PutRequest(keys[key], NextValue()) { PrevKv = true })],
            [new TxnRangeOp(new RangeRequest(keys[key]))]);
    }

    /// <summary>If the key still holds what this client last saw, move it to another key.</summary>
    private TxnRequest MoveIfValue(int key)
    {
        var value = _seen.TryGetValue(key, out var seen) ? seen.Value : NextValue();
        var other = (key + 1) % keys.Count;
        return new TxnRequest(
            [new Compare(keys[key], CompareTarget.Value, CompareResult.Equal) { Value = value }],
            [new TxnPutOp(new PutRequest(keys[other], value)), new TxnDeleteOp(new DeleteRangeRequest(keys[key]) { PrevKv = true })],
            [new TxnRangeOp(new RangeRequest(prefix, prefixEnd))]);
    }

    private TxnRequest CreateIfAbsent(int key) => new(
        [
            new Compare(keys[key], CompareTarget.Create, CompareResult.Equal) { Number = 0 },
            new Compare(prefix, CompareTarget.Version, CompareResult.Less) { RangeEnd = prefixEnd, Number = 1 + _random.Next(4) },
        ],
        [new TxnPutOp(new PutRequest(keys[key], NextValue())), new TxnRangeOp(new RangeRequest(keys[key]))],
        [new TxnRangeOp(new RangeRequest(keys[key])), new TxnDeleteOp(new DeleteRangeRequest(keys[(key + 2) % keys.Count]))]);

    private async Task GrantAsync(IKeyValueStore store, CancellationToken cancellationToken)
    {
        var id = leaseBase + client * 100_000L + _leases.Count + 1;
        _leases.Add(id);
        await store.LeaseGrantAsync(id, LeaseTtlSeconds, cancellationToken).ConfigureAwait(false);
    }

    private Task PutWithLeaseAsync(IKeyValueStore store, int key, CancellationToken cancellationToken)
    {
        // Sometimes a revoked lease: LeaseNotFound is part of the contract too.
        var lease = _leases.Count == 0 ? leaseBase + client * 100_000L + 99_999 : _leases[_random.Next(_leases.Count)];
        return store.PutAsync(new PutRequest(keys[key], NextValue()) { Lease = lease }, cancellationToken);
    }

    private Task RevokeAsync(IKeyValueStore store, CancellationToken cancellationToken)
    {
        if (_leases.Count == 0)
        {
            return Task.CompletedTask;
        }
        var id = _leases[_random.Next(_leases.Count)];
        return store.LeaseRevokeAsync(id, cancellationToken);
    }

    private async Task Txn(IKeyValueStore store, TxnRequest request, CancellationToken cancellationToken)
    {
        var result = await store.TxnAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var range in result.Responses.OfType<RangeResult>())
        {
            Remember(range);
        }
    }

    private async Task Read(Task<RangeResult> read) => Remember(await read.ConfigureAwait(false));

    private void Remember(RangeResult read)
    {
        foreach (var kv in read.Kvs)
        {
            var index = IndexOf(kv.Key);
            if (index >= 0)
            {
                _seen[index] = (kv.ModRevision, kv.Value);
            }
        }
    }

    private int IndexOf(byte[] key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].AsSpan().SequenceEqual(key))
            {
                return i;
            }
        }
        return -1;
    }

    private byte[] NextValue() => Encoding.ASCII.GetBytes($"c{client}.{++_sequence}");

    internal static byte[] PrefixEnd(byte[] prefix)
    {
        var end = (byte[])prefix.Clone();
        end[^1]++;
        return end;
    }

    internal static string Describe(byte[] prefix) => KvText.Key(prefix);
}
