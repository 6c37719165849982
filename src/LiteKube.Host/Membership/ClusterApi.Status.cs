using System.Text;
using System.Text.Json;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore;
using LiteKube.Datastore.Replication;
using Microsoft.AspNetCore.Http;

namespace LiteKube.Host.Membership;

// GET /litekube/v1/status and /litekube/v1/members: what `litekube status` shows.
internal sealed partial class ClusterApi
{
    /// <summary>A node whose Lease was not renewed for this long is NotReady (upstream's node
    /// lifecycle controller uses 40 s).</summary>
    public static readonly TimeSpan NodeGracePeriod = TimeSpan.FromSeconds(40);

    private async Task<IResult> StatusAsync(HttpContext context)
    {
        if (Require(context, ClusterCaller.Admin) is { } refused)
        {
            return refused;
        }

        try
        {
            var members = await MemberViewAsync(context.RequestAborted);
            var nodes = await NodesAsync(context.RequestAborted);
            var voters = members.Where(m => m.Voter).Select(m => m.Status).OrderByDescending(m => m.Leader).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
            var standbys = members.Where(m => !m.Voter).Select(m => m.Status).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
            var leader = voters.FirstOrDefault(v => v.Leader)?.Name;
            var datastore = replicated is null ? settings.DatastoreDescription : "embedded";
            // Raft tolerates (voters - 1) / 2 failures; an external etcd's own health is its business.
            var tolerance = replicated is null ? 0 : Math.Max(0, (voters.Count - 1) / 2);
            return Ok(new ClusterStatus(datastore, replicated is not null && voters.Count >= 3, tolerance, leader, voters, standbys, nodes),
                ClusterApiJson.Default.ClusterStatus);
        }
        catch (DatastoreException e)
        {
            return Unavailable(e);
        }
    }

    /// <summary>The leader's view of the members (lag and reachability are known there only).</summary>
    private async Task<IResult> MembersAsync(HttpContext context)
    {
        if (Require(context, ClusterCaller.Admin, ClusterCaller.Peer) is { } refused)
        {
            return refused;
        }

        if (RequireLeader() is { } misdirected)
        {
            return misdirected;
        }

        return Ok<IReadOnlyList<MemberStatus>>([.. LocalMembers().Select(m => m.Status)], ClusterApiJson.Default.IReadOnlyListMemberStatus);
    }

    private sealed record MemberView(bool Voter, MemberStatus Status);

    /// <summary>From the leader when this server does not lead (asked over the cluster port),
    /// else from here; a leader that does not answer leaves the local view, without lag.</summary>
    private async Task<IReadOnlyList<MemberView>> MemberViewAsync(CancellationToken cancellationToken)
    {
        var local = LocalMembers();
        if (replicated is null || replicated.IsLeader || local.FirstOrDefault(m => m.Status.Leader) is not { } leader)
        {
            return local;
        }

        try
        {
            var remote = await peers.GetAsync(leader.Status.PeerAddress, ClusterApiPaths.Members, ClusterApiJson.Default.IReadOnlyListMemberStatus, cancellationToken);
            var voters = local.Where(m => m.Voter).Select(m => m.Status.Id).ToHashSet();
            return [.. remote.Select(m => new MemberView(voters.Contains(m.Id), m))];
        }
        catch (ClusterApiException)
        {
            return local;
        }
    }

    private List<MemberView> LocalMembers() => replicated is null
        ? []
        : [.. replicated.Members().Select(m => new MemberView(!m.IsLearner, new MemberStatus(Hex(m.Id), m.Name, m.PeerAddress, m.IsLeader,
            m.Lag is { } lag ? (long)lag : null,
            Roles?.UnreachableFor(m.Id) is { } unreachable ? unreachable < ActiveSpan : null)))];

    /// <summary>Every Node with its readiness: its Ready condition, and a Lease renewed within
    /// <see cref="NodeGracePeriod"/> (a node that stopped cannot report itself NotReady).</summary>
    private async Task<IReadOnlyList<NodeStatus>> NodesAsync(CancellationToken cancellationToken)
    {
        var nodes = await store.RangeAsync(Prefix("/registry/nodes/"), cancellationToken);
        var leases = await store.RangeAsync(Prefix("/registry/leases/kube-node-lease/"), cancellationToken);
        var renewals = leases.Kvs.Select(kv => ReadLease(kv.Value)).Where(l => l.Name is not null).ToDictionary(l => l.Name!, l => l.Renewed);
        var now = time.GetUtcNow();
        var result = new List<NodeStatus>();
        foreach (var kv in nodes.Kvs)
        {
            var (name, ready, reason) = ReadNode(kv.Value);
            if (name is null)
            {
                continue;
            }

            var renewed = renewals.GetValueOrDefault(name);
            if (ready && (renewed is null || now - renewed > NodeGracePeriod))
            {
                (ready, reason) = (false, "NodeStatusUnknown");
            }

            result.Add(new NodeStatus(name, ready, ready ? null : reason));
        }

        return result;
    }

    private static RangeRequest Prefix(string prefix)
    {
        var key = Encoding.UTF8.GetBytes(prefix);
        var end = (byte[])key.Clone();
        end[^1]++;
        return new RangeRequest(key, end);
    }

    private static (string? Name, bool Ready, string? Reason) ReadNode(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var name = root.GetProperty("metadata").GetProperty("name").GetString();
            if (root.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions))
            {
                foreach (var condition in conditions.EnumerateArray())
                {
                    if (condition.TryGetProperty("type", out var type) && type.GetString() == "Ready")
                    {
                        var ready = condition.TryGetProperty("status", out var value) && value.GetString() == "True";
                        return (name, ready, condition.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
                    }
                }
            }

            return (name, false, "NoReadyCondition");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, false, null);
        }
    }

    private static (string? Name, DateTimeOffset? Renewed) ReadLease(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var name = root.GetProperty("metadata").GetProperty("name").GetString();
            return root.TryGetProperty("spec", out var spec) && spec.TryGetProperty("renewTime", out var renew) && renew.TryGetDateTimeOffset(out var at)
                ? (name, at)
                : (name, null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, null);
        }
    }
}
