using System.Text;
using LiteKube.Datastore;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>
/// Base of every contract class: opens a fresh store per test on a fake clock and offers the
/// small vocabulary the tests are written in. The reference for every expectation is etcd v3
/// (3.4) behaviour; where the <see cref="IKeyValueStore"/> docs say more, they win.
/// </summary>
public abstract class StoreContract<TStore> : IAsyncLifetime
    where TStore : IStoreUnderTest, new()
{
    /// <summary>How long a test waits for something the store does on its own (a watch event,
    /// an expiry after the clock moved) before it fails.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected static readonly TimeSpan ProgressNotifyInterval = TimeSpan.FromSeconds(10);

    /// <summary>etcd's largest lease TTL (MaxLeaseTTL, in seconds).</summary>
    protected const long MaxLeaseTtl = 9_000_000_000;

    private readonly TStore _target = new();

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected IKeyValueStore Store { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Store = await _target.OpenAsync(Clock, ProgressNotifyInterval);

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await _target.DisposeAsync();
    }

    /// <summary>Closes the store and opens it again over the same data.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await _target.OpenAsync(Clock, ProgressNotifyInterval);
    }

    protected static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    protected static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>The range end that makes [prefix, end) the keys starting with prefix (etcd's
    /// GetPrefixRangeEnd): the prefix with its last byte below 0xFF incremented, or "\0".</summary>
    protected static byte[] PrefixEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < 0xFF)
            {
                var end = prefix[..(i + 1)];
                end[i]++;
                return end;
            }
        }
        return [0];
    }

    protected static byte[] PrefixEnd(string prefix) => PrefixEnd(B(prefix));

    protected Task<PutResult> PutAsync(string key, string value, long lease = 0) =>
        Store.PutAsync(new PutRequest(B(key), B(value)) { Lease = lease });

    protected Task<DeleteRangeResult> DeleteAsync(string key) =>
        Store.DeleteRangeAsync(new DeleteRangeRequest(B(key)));

    /// <summary>The single key at <paramref name="revision"/> (0 = current), or null.</summary>
    protected async Task<KeyValue?> GetAsync(string key, long revision = 0)
    {
        var result = await Store.RangeAsync(new RangeRequest(B(key)) { Revision = revision });
        Assert.True(result.Kvs.Count <= 1, $"a single-key range returned {result.Kvs.Count} kvs");
        return result.Kvs.Count == 0 ? null : result.Kvs[0];
    }

    protected async Task<string?> GetValueAsync(string key, long revision = 0) =>
        await GetAsync(key, revision) is { } kv ? S(kv.Value) : null;

    /// <summary>Every key starting with <paramref name="prefix"/> ("" = every key) at the
    /// revision (0 = current), in key order.</summary>
    protected async Task<IReadOnlyList<KeyValue>> ListAsync(string prefix, long revision = 0)
    {
        var request = prefix.Length == 0 ? new RangeRequest([0], [0]) : new RangeRequest(B(prefix), PrefixEnd(prefix));
        return (await Store.RangeAsync(request with { Revision = revision })).Kvs;
    }

    protected async Task<string[]> ListKeysAsync(string prefix, long revision = 0) =>
        (await ListAsync(prefix, revision)).Select(kv => S(kv.Key)).ToArray();

    /// <summary>The store's current revision, as a range reports it.</summary>
    protected async Task<long> CurrentRevisionAsync() =>
        (await Store.RangeAsync(new RangeRequest(B("\0"), [0]) { CountOnly = true })).Revision;

    /// <summary>Runs <paramref name="call"/> and asserts it fails with <paramref name="expected"/>.</summary>
    protected static async Task<DatastoreException> AssertFailsAsync(DatastoreError expected, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<DatastoreException>(call);
        Assert.True(ex.Error == expected, $"expected {expected}, got {ex.Error}: {ex.Message}");
        return ex;
    }

    protected static void AssertKv(KeyValue? kv, string key, string value, long create, long mod, long version, long lease = 0)
    {
        Assert.NotNull(kv);
        Assert.Equal(key, S(kv.Key));
        Assert.Equal(value, S(kv.Value));
        Assert.True(
            (kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease) == (create, mod, version, lease),
            $"{key}: expected create/mod/version/lease {create}/{mod}/{version}/{lease}, " +
            $"got {kv.CreateRevision}/{kv.ModRevision}/{kv.Version}/{kv.Lease}");
    }

    protected WatchProbe Watch(WatchRequest request) => new(Store.Watch(request), Patience);

    protected WatchProbe WatchPrefix(string prefix, long startRevision = 0) =>
        Watch(new WatchRequest(B(prefix), PrefixEnd(prefix)) { StartRevision = startRevision });

    /// <summary>Waits (in real time, bounded) until <paramref name="condition"/> holds; used only
    /// for effects the store produces on its own thread after the fake clock moved.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {Patience.TotalSeconds} s waiting until {what}");
            await Task.Delay(20);
        }
    }
}
