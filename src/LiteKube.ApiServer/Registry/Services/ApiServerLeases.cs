using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.Datastore;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>
/// Which API servers are alive, as upstream's lease endpoint reconciler records it: each server
/// keeps one key with a datastore lease of <see cref="Ttl"/> and renews it every
/// <see cref="RenewInterval"/>; a server that stops renewing drops out when its lease expires.
/// <code>
/// /registry/masterleases/&lt;ip&gt;   value: an Endpoints naming the ip (as upstream stores it)
/// </code>
/// One instance per server; not thread-safe (one reconcile loop calls it).
/// </summary>
public sealed class ApiServerLeases(IKeyValueStore store)
{
    public const string Prefix = "/registry/masterleases/";

    /// <summary>Upstream's defaults: a 15 s lease renewed every 10 s.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(10);

    private long _lease;

    /// <summary>Keeps this server's key alive: renews its lease, or (first time, after an
    /// expiry, or when someone removed or replaced the key) writes it again with a new lease.</summary>
    public async Task RenewAsync(IPAddress server, CancellationToken cancellationToken)
    {
        var key = Key(server);
        if (_lease != 0)
        {
            try
            {
                await store.LeaseKeepAliveAsync(_lease, cancellationToken).ConfigureAwait(false);
                var stored = await store.RangeAsync(new RangeRequest(key), cancellationToken).ConfigureAwait(false);
                if (stored.Kvs.Count == 1 && stored.Kvs[0].Lease == _lease)
                {
                    return;
                }
            }
            catch (DatastoreException e) when (e.Error == DatastoreError.LeaseNotFound)
            {
                // Expired (this server was cut off longer than the TTL): start again.
            }
        }

        var previous = _lease;
        var granted = await store.LeaseGrantAsync(0, (long)Ttl.TotalSeconds, cancellationToken).ConfigureAwait(false);
        await store.PutAsync(new PutRequest(key, Value(server)) { Lease = granted.Id }, cancellationToken).ConfigureAwait(false);
        _lease = granted.Id;
        if (previous != 0)
        {
            await RevokeAsync(previous, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The servers with a live key, sorted by address text.</summary>
    public async Task<List<IPAddress>> ListAsync(CancellationToken cancellationToken)
    {
        var start = Encoding.UTF8.GetBytes(Prefix);
        var result = await store.RangeAsync(new RangeRequest(start, ObjectStore.PrefixEnd(start)) { KeysOnly = true }, cancellationToken).ConfigureAwait(false);
        var servers = new List<IPAddress>();
        foreach (var kv in result.Kvs)
        {
            // A key that is not an address (written by hand) names no server.
            if (IPAddress.TryParse(Encoding.UTF8.GetString(kv.Key)[Prefix.Length..], out var ip))
            {
                servers.Add(ip);
            }
        }

        return KubernetesService.Sorted(servers);
    }

    /// <summary>Takes this server out at once (a graceful stop), rather than after the TTL.</summary>
    public async Task RemoveAsync(IPAddress server, CancellationToken cancellationToken)
    {
        await store.DeleteRangeAsync(new DeleteRangeRequest(Key(server)), cancellationToken).ConfigureAwait(false);
        if (_lease != 0)
        {
            await RevokeAsync(_lease, cancellationToken).ConfigureAwait(false);
            _lease = 0;
        }
    }

    public static byte[] Key(IPAddress server) => Encoding.UTF8.GetBytes(Prefix + server);

    private async Task RevokeAsync(long lease, CancellationToken cancellationToken)
    {
        try
        {
            await store.LeaseRevokeAsync(lease, cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreException e) when (e.Error == DatastoreError.LeaseNotFound)
        {
        }
    }

    private static byte[] Value(IPAddress server) => ObjectStore.Serialize(new JsonObject
    {
        ["kind"] = "Endpoints",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = server.ToString() },
        ["subsets"] = new JsonArray(new JsonObject { ["addresses"] = new JsonArray(new JsonObject { ["ip"] = server.ToString() }) }),
    });
}
