using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;

namespace LiteKube.ApiServer.Registry.Services.Repair;

/// <summary>
/// The I/O of the allocation repair: reads the Services and both pools at one revision, and
/// carries out a plan with conditional txns (a key is taken only if still absent, re-pointed or
/// released only if unchanged since the read). Events are named after what they report, so
/// that several servers, or several passes, report one problem once.
/// </summary>
public sealed class AllocationRepairExecutor(IKeyValueStore store, ObjectStore objects, ResourceCatalog catalog, TimeProvider time)
{
    public const string Component = "service-allocation-repair";

    private readonly ResourceDefinition _services = catalog.Find("", "v1", "services")!;
    private readonly ResourceDefinition _events = catalog.Find("", "v1", "events")!;

    public async Task<AllocationSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var (items, revision, _) = await objects.ListAsync(_services, "", null, 0, 0, cancellationToken).ConfigureAwait(false);
        var services = items.Select(i => Claim(i.Object)).ToList();
        var ips = await KeysAsync(ServiceAllocationHook.IpPrefix, revision, cancellationToken).ConfigureAwait(false);
        var ports = await KeysAsync(ServiceAllocationHook.NodePortPrefix, revision, cancellationToken).ConfigureAwait(false);
        return new AllocationSnapshot(services, ips, ports);
    }

    /// <summary>Carries out every step; returns how many took effect (the others lost a race and
    /// are decided again on the next pass).</summary>
    public async Task<int> ExecuteAsync(IEnumerable<RepairAction> actions, CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var action in actions)
        {
            var applied = action switch
            {
                TakeKey take => await TxnAsync(new Compare(Key(take), CompareTarget.Create, CompareResult.Equal) { Number = 0 },
                    new TxnPutOp(new PutRequest(Key(take), Encoding.UTF8.GetBytes(take.Holder))), cancellationToken).ConfigureAwait(false),
                SetHolder set => await TxnAsync(new Compare(Key(set), CompareTarget.Mod, CompareResult.Equal) { Number = set.ModRevision },
                    new TxnPutOp(new PutRequest(Key(set), Encoding.UTF8.GetBytes(set.Holder))), cancellationToken).ConfigureAwait(false),
                ReleaseKey release => await TxnAsync(new Compare(Key(release), CompareTarget.Mod, CompareResult.Equal) { Number = release.ModRevision },
                    new TxnDeleteOp(new DeleteRangeRequest(Key(release))), cancellationToken).ConfigureAwait(false),
                ReportOnService report => await ReportAsync(report, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"unknown repair step {action}"),
            };
            done += applied ? 1 : 0;
        }

        return done;
    }

    public static ServiceClaim Claim(JsonObject service)
    {
        var metadata = ObjectStore.Metadata(service);
        var holdings = ServiceAllocator.Holdings(service);
        return new ServiceClaim(metadata["namespace"]?.ToString() ?? "", metadata["name"]?.ToString() ?? "", metadata["uid"]?.ToString() ?? "",
            metadata["creationTimestamp"]?.ToString() ?? "", holdings.Ips, holdings.Ports);
    }

    private async Task<bool> TxnAsync(Compare compare, TxnOp op, CancellationToken cancellationToken)
    {
        var result = await store.TxnAsync(new TxnRequest([compare], [op], []), cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    private async Task<bool> ReportAsync(ReportOnService report, CancellationToken cancellationToken)
    {
        var now = ObjectStore.Rfc3339(time.GetUtcNow());
        var service = report.Service;
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{service.Uid}/{report.Reason}/{report.Value}")))[..16];
        var name = $"{service.Name}.{id}";
        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = service.Namespace },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["namespace"] = service.Namespace,
                ["name"] = service.Name,
                ["uid"] = service.Uid,
            },
            ["reason"] = report.Reason,
            ["message"] = report.Message,
            ["type"] = "Warning",
            ["action"] = report.Pool == Pool.ClusterIps ? "ClusterIPAllocation" : "PortAllocation",
            ["source"] = new JsonObject { ["component"] = Component },
            ["reportingComponent"] = Component,
            ["reportingInstance"] = "",
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        try
        {
            await objects.CreateAsync(_events, service.Namespace, obj, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.Reason == "AlreadyExists")
        {
            // Reported already, by an earlier pass or another server.
            return false;
        }
    }

    private async Task<List<PoolKey>> KeysAsync(string prefix, long revision, CancellationToken cancellationToken)
    {
        var start = Encoding.UTF8.GetBytes(prefix);
        var result = await store.RangeAsync(new RangeRequest(start, ObjectStore.PrefixEnd(start)) { Revision = revision }, cancellationToken).ConfigureAwait(false);
        return result.Kvs.Select(kv => new PoolKey(Encoding.UTF8.GetString(kv.Key)[prefix.Length..], Encoding.UTF8.GetString(kv.Value), kv.ModRevision)).ToList();
    }

    private static byte[] Key(RepairAction action) => action switch
    {
        TakeKey t => Key(t.Pool, t.Value),
        SetHolder s => Key(s.Pool, s.Value),
        ReleaseKey r => Key(r.Pool, r.Value),
        _ => throw new ArgumentException("the step has no key", nameof(action)),
    };

    private static byte[] Key(Pool pool, string value) =>
        Encoding.UTF8.GetBytes((pool == Pool.ClusterIps ? ServiceAllocationHook.IpPrefix : ServiceAllocationHook.NodePortPrefix) + value);
}
