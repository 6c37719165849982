using Grpc.Core;
using Grpc.Net.Client;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>etcd's Maintenance.Status of each member, which etcd and litekube both answer: the
/// member's own id and the leader it follows.</summary>
internal static class MemberStatus
{
    /// <summary>The index of the member that the running, reachable members name as leader.</summary>
    /// <exception cref="InvalidOperationException">No reachable member knows a leader.</exception>
    public static async Task<int> LeaderAsync(int count, Func<int, bool> isRunning, Func<int, GrpcChannel> openChannel, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<ulong, int>();
        ulong leader = 0;
        for (var i = 0; i < count; i++)
        {
            if (!isRunning(i))
            {
                continue;
            }
            using var channel = openChannel(i);
            // Paused or partitioned members do not answer: they do not get a say.
            if (await TryGetAsync(channel, cancellationToken) is { } status)
            {
                ids[status.Header.MemberId] = i;
                leader = status.Leader != 0 ? status.Leader : leader;
            }
        }
        return leader != 0 && ids.TryGetValue(leader, out var index)
            ? index
            : throw new InvalidOperationException("no reachable member knows a leader");
    }

    /// <summary>The member's status, or null when it does not answer within a second.</summary>
    public static async Task<EtcdPb.StatusResponse?> TryGetAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            return await new EtcdPb.Maintenance.MaintenanceClient(channel).StatusAsync(
                new EtcdPb.StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: cancellationToken);
        }
        catch (RpcException)
        {
            return null;
        }
    }
}
