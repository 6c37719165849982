using System.Text;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore;
using LiteKube.Datastore.Replication;
using Microsoft.AspNetCore.Http;

namespace LiteKube.Host.Membership;

// POST /litekube/v1/leave, /departures and /remove-node: shrinking the cluster cleanly.
internal sealed partial class ClusterApi
{
    /// <summary>A member the leader heard from within this span is active: remove-node refuses it without --force.</summary>
    public static readonly TimeSpan ActiveSpan = TimeSpan.FromSeconds(10);

    /// <summary>This node leaves: hands leadership and its vote away, is removed from the
    /// datastore by the leader, then stops and wipes its data.</summary>
    private async Task<IResult> LeaveAsync(HttpContext context)
    {
        if (Require(context, ClusterCaller.Admin) is { } refused)
        {
            return refused;
        }

        var force = context.Request.Query["force"] == "true";
        var cancellationToken = context.RequestAborted;
        try
        {
            if (replicated is not null)
            {
                var members = replicated.Members();
                var self = members.Single(m => m.Id == replicated.Id);
                var standbys = members.Where(m => m.IsLearner && m.Id != self.Id).ToList();
                var voters = members.Where(m => !m.IsLearner).ToList();
                if (!force && !self.IsLearner && voters.Count == 1 && standbys.Count == 0)
                {
                    return Error(StatusCodes.Status409Conflict,
                        "this node is the cluster's only datastore voter and no other node could take over: leaving would destroy the cluster; add nodes first, or use --force to leave anyway");
                }

                if (members.Count > 1)
                {
                    await DepartAsync(dryRun: true, cancellationToken);
                }

                await (LocalNode?.MarkLeftAsync(cancellationToken) ?? Task.CompletedTask);
                if (members.Count > 1)
                {
                    await HandOverAsync(self, members, cancellationToken);
                    await DepartAsync(dryRun: false, cancellationToken);
                }
            }
            else
            {
                await (LocalNode?.MarkLeftAsync(cancellationToken) ?? Task.CompletedTask);
            }
        }
        catch (DatastoreException e)
        {
            return Unavailable(e);
        }
        catch (ClusterApiException e)
        {
            return Error(e.Status == System.Net.HttpStatusCode.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status503ServiceUnavailable,
                $"the datastore leader did not remove this node: {e.Message}");
        }

        LocalNode?.StopAndWipe();
        return Ok(new ClusterApiError($"{settings.NodeName} left the cluster"), ClusterApiJson.Default.ClusterApiError);
    }

    /// <summary>Asks the leader to remove this node (or, in a dry run, whether it would).</summary>
    private async Task DepartAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var leader = replicated!.Members().FirstOrDefault(m => m.IsLeader)
            ?? throw new DatastoreException(DatastoreError.Unavailable, "the datastore has no leader");
        await peers.PostAsync(leader.PeerAddress, ClusterApiPaths.Departures + (dryRun ? "?dryRun=true" : ""), new DepartureRequest(settings.NodeName),
            ClusterApiJson.Default.DepartureRequest, ClusterApiJson.Default.ClusterApiError, cancellationToken);
    }

    /// <summary>Before this node is removed: a sole voter first makes a standby a voter; a
    /// leader hands leadership to another voter, so the cluster never waits out an election.</summary>
    private async Task HandOverAsync(ReplicatedMember self, IReadOnlyList<ReplicatedMember> members, CancellationToken cancellationToken)
    {
        var voters = members.Where(m => !m.IsLearner).ToList();
        if (!self.IsLearner && voters.Count == 1 && self.IsLeader)
        {
            var successor = members.Where(m => m.IsLearner).OrderBy(m => m.Lag ?? ulong.MaxValue).First();
            await replicated!.PromoteAsync(successor.Id, cancellationToken);
        }

        if (replicated!.IsLeader)
        {
            var next = replicated.Members().Where(m => !m.IsLearner && m.Id != self.Id).OrderBy(m => m.Lag ?? ulong.MaxValue).FirstOrDefault();
            if (next is not null)
            {
                await replicated.TransferLeadershipAsync(next.Id, cancellationToken);
            }
        }
    }

    /// <summary>On the leader: removes a member that is leaving (or being removed), first
    /// promoting a caught-up standby when the member votes and one is needed. Idempotent.</summary>
    private async Task<IResult> DepartureAsync(HttpContext context)
    {
        if (Require(context, ClusterCaller.Peer, ClusterCaller.Admin) is { } refused)
        {
            return refused;
        }

        var (request, invalid) = await ReadAsync(context, ClusterApiJson.Default.DepartureRequest);
        if (invalid is not null)
        {
            return invalid;
        }

        if (RequireLeader() is { } misdirected)
        {
            return misdirected;
        }

        // A dry run says whether the departure would be allowed, changing nothing: a leaving
        // node asks first, before it stops its agent.
        var dryRun = context.Request.Query["dryRun"] == "true";
        try
        {
            var members = replicated!.Members();
            if (members.FirstOrDefault(m => m.Name == request!.NodeName) is not { } departing)
            {
                return Ok(new ClusterApiError($"{request!.NodeName} is not a member"), ClusterApiJson.Default.ClusterApiError);
            }

            if (departing.IsLeader && !dryRun)
            {
                return Error(StatusCodes.Status409Conflict, $"{departing.Name} leads the datastore; it hands leadership away before it leaves");
            }

            var remaining = members.Where(m => m.Id != departing.Id).ToList();
            var voters = remaining.Where(m => !m.IsLearner).ToList();
            if (!departing.IsLearner && voters.Count < Planner.Target(remaining.Count)
                && remaining.Where(m => m.IsLearner && Reachable(m) && m.Match > 0 && m.Lag <= RoleManager.CaughtUpLag).OrderBy(m => m.Lag).FirstOrDefault() is { } standby)
            {
                if (!dryRun)
                {
                    await replicated.PromoteAsync(standby.Id, context.RequestAborted);
                }

                voters.Add(standby);
            }

            // A voter's removal takes effect with the remaining voters' quorum: never leave one
            // that the reachable members cannot form, or the datastore stops for good.
            if (!departing.IsLearner && voters.Count(Reachable) <= voters.Count / 2)
            {
                return Error(StatusCodes.Status409Conflict,
                    $"removing {departing.Name} would leave the datastore without a quorum: only {voters.Count(Reachable)} of the remaining {voters.Count} voters are reachable; bring the others back first");
            }

            if (dryRun)
            {
                return Ok(new ClusterApiError($"{departing.Name} can be removed"), ClusterApiJson.Default.ClusterApiError);
            }

            await replicated.RemoveAsync(departing.Id, context.RequestAborted);
            LogDeparted(logger, departing.Name, departing.Id);
            return Ok(new ClusterApiError($"{departing.Name} was removed from the datastore"), ClusterApiJson.Default.ClusterApiError);
        }
        catch (DatastoreException e)
        {
            return e.Error == DatastoreError.InvalidArgument ? Error(StatusCodes.Status409Conflict, ServerHost.OneLine(e.Message)) : Unavailable(e);
        }
    }

    /// <summary>Whether the leader heard from <paramref name="member"/> within <see cref="ActiveSpan"/>.</summary>
    private bool Reachable(ReplicatedMember member) => member.IsLeader || Roles?.UnreachableFor(member.Id) < ActiveSpan;

    /// <summary>On any server: forgets a node that left (or, with force, a dead one): its
    /// membership, its Node and Lease, and its credentials.</summary>
    private async Task<IResult> RemoveNodeAsync(HttpContext context)
    {
        if (Require(context, ClusterCaller.Admin) is { } refused)
        {
            return refused;
        }

        var (request, invalid) = await ReadAsync(context, ClusterApiJson.Default.RemoveNodeRequest);
        if (invalid is not null)
        {
            return invalid;
        }

        var name = request!.NodeName;
        var cancellationToken = context.RequestAborted;
        if (name == settings.NodeName)
        {
            return Error(StatusCodes.Status400BadRequest, $"{name} is this node; to take it out of the cluster run `litekube leave` on it");
        }

        try
        {
            var member = replicated?.Members().FirstOrDefault(m => m.Name == name);
            var node = await store.RangeAsync(new RangeRequest(Key($"/registry/nodes/{name}")), cancellationToken);
            var removed = await store.RangeAsync(new RangeRequest(Key(RemovedNodeRecords.KeyOf(name))), cancellationToken);
            if (member is null && node.Kvs.Count == 0 && removed.Kvs.Count == 0)
            {
                return Error(StatusCodes.Status404NotFound, $"there is no node named {name} in this cluster");
            }

            if (member is not null)
            {
                if (!request.Force && await IsActiveAsync(member, cancellationToken))
                {
                    return Error(StatusCodes.Status409Conflict,
                        $"{name} is still an active member of the cluster; run `litekube leave` on it first, or `litekube remove-node {name} --force` if its machine is gone");
                }

                var leader = replicated!.Members().FirstOrDefault(m => m.IsLeader)
                    ?? throw new DatastoreException(DatastoreError.Unavailable, "the datastore has no leader");
                await peers.PostAsync(leader.PeerAddress, ClusterApiPaths.Departures, new DepartureRequest(name),
                    ClusterApiJson.Default.DepartureRequest, ClusterApiJson.Default.ClusterApiError, cancellationToken);
            }

            await store.TxnAsync(new TxnRequest([], [
                new TxnPutOp(new PutRequest(Key(RemovedNodeRecords.KeyOf(name)), Encoding.UTF8.GetBytes(time.GetUtcNow().ToString("O")))),
                new TxnDeleteOp(new DeleteRangeRequest(Key($"/registry/nodes/{name}"))),
                new TxnDeleteOp(new DeleteRangeRequest(Key($"/registry/leases/kube-node-lease/{name}")))], []), cancellationToken);
            return Ok(new ClusterApiError($"{name} was removed from the cluster"), ClusterApiJson.Default.ClusterApiError);
        }
        catch (DatastoreException e)
        {
            return Unavailable(e);
        }
        catch (ClusterApiException e)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"the datastore leader did not remove {name}: {e.Message}");
        }
    }

    /// <summary>Whether the leader heard from <paramref name="member"/> lately (asked over the
    /// cluster port when this server does not lead).</summary>
    private async Task<bool> IsActiveAsync(ReplicatedMember member, CancellationToken cancellationToken)
    {
        var view = await MemberViewAsync(cancellationToken);
        return view.FirstOrDefault(m => m.Status.Name == member.Name)?.Status.Reachable ?? true;
    }

    /// <summary>Whether <paramref name="nodeName"/> was removed from the cluster (local read:
    /// this is asked on every peer call, also while there is no leader).</summary>
    public async Task<bool> WasRemovedAsync(string nodeName, CancellationToken cancellationToken)
    {
        var result = await store.RangeAsync(new RangeRequest(Key(RemovedNodeRecords.KeyOf(nodeName))) { Serializable = true, CountOnly = true }, cancellationToken);
        return result.Count > 0;
    }

    private static byte[] Key(string key) => Encoding.UTF8.GetBytes(key);
}
