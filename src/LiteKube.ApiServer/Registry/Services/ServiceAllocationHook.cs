using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>
/// Keeps the Service pools in the datastore, one key per allocated value, written in the same
/// txn as the Service:
/// <code>
/// /registry/ranges/serviceips/&lt;ip&gt;         value "&lt;namespace&gt;/&lt;name&gt;" of the holder
/// /registry/ranges/servicenodeports/&lt;port&gt; value "&lt;namespace&gt;/&lt;name&gt;" of the holder
/// </code>
/// A new value's key must not exist (compare create_revision = 0), so two writers can never both
/// take it: the loser's txn fails and the store asks again. A key exists exactly while a stored
/// Service holds its value, because it is created and deleted only together with such a write.
/// </summary>
public sealed class ServiceAllocationHook(IKeyValueStore store, ServiceNetworkOptions options, Random? random = null) : IStorageHook
{
    public const string IpPrefix = "/registry/ranges/serviceips/";
    public const string NodePortPrefix = "/registry/ranges/servicenodeports/";

    private readonly ServiceAllocator _allocator = new(options);
    private readonly Random _random = random ?? Random.Shared;

    public bool Handles(ResourceDefinition resource) => resource.Group == "" && resource.Plural == "services";

    public Task<StorageEffects> BeforeCreateAsync(ResourceDefinition resource, JsonObject created, CancellationToken cancellationToken) =>
        PlanAsync(resource, null, created, cancellationToken);

    public Task<StorageEffects> BeforeUpdateAsync(ResourceDefinition resource, JsonObject current, JsonObject updated, CancellationToken cancellationToken) =>
        PlanAsync(resource, current, updated, cancellationToken);

    public StorageEffects BeforeRemove(ResourceDefinition resource, JsonObject current)
    {
        var holdings = ServiceAllocator.Holdings(current);
        return new StorageEffects([], [.. holdings.Ips.Select(ip => Delete(IpPrefix + ip)), .. holdings.Ports.Select(p => Delete(NodePortPrefix + Port(p)))]);
    }

    /// <summary>Every value taken in both pools, as stored now.</summary>
    public async Task<ServiceHoldings> TakenAsync(CancellationToken cancellationToken)
    {
        var ips = await KeysAsync(IpPrefix, cancellationToken).ConfigureAwait(false);
        var ports = await KeysAsync(NodePortPrefix, cancellationToken).ConfigureAwait(false);
        return new ServiceHoldings(ips.ToHashSet(), ports.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToHashSet());
    }

    private async Task<StorageEffects> PlanAsync(ResourceDefinition resource, JsonObject? current, JsonObject service, CancellationToken cancellationToken)
    {
        var taken = await TakenAsync(cancellationToken).ConfigureAwait(false);
        var change = _allocator.Plan(resource, current, service, taken, _random);
        var metadata = ObjectStore.Metadata(service);
        var holder = Encoding.UTF8.GetBytes($"{metadata["namespace"]}/{metadata["name"]}");
        var compares = new List<Compare>();
        var ops = new List<TxnOp>();
        foreach (var key in change.NewIps.Select(ip => IpPrefix + ip).Concat(change.NewPorts.Select(p => NodePortPrefix + Port(p))))
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            compares.Add(new Compare(bytes, CompareTarget.Create, CompareResult.Equal) { Number = 0 });
            ops.Add(new TxnPutOp(new PutRequest(bytes, holder)));
        }

        ops.AddRange(change.ReleasedIps.Select(ip => Delete(IpPrefix + ip)));
        ops.AddRange(change.ReleasedPorts.Select(p => Delete(NodePortPrefix + Port(p))));
        return new StorageEffects(compares, ops);
    }

    private async Task<IEnumerable<string>> KeysAsync(string prefix, CancellationToken cancellationToken)
    {
        var start = Encoding.UTF8.GetBytes(prefix);
        var result = await store.RangeAsync(new RangeRequest(start, ObjectStore.PrefixEnd(start)) { KeysOnly = true }, cancellationToken).ConfigureAwait(false);
        return result.Kvs.Select(kv => Encoding.UTF8.GetString(kv.Key)[prefix.Length..]);
    }

    private static TxnDeleteOp Delete(string key) => new(new DeleteRangeRequest(Encoding.UTF8.GetBytes(key)));

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
