using System.Globalization;
using Grpc.Core;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>The header naming the caller's cluster on every Raft call.</summary>
internal static class ClusterIdHeader
{
    public const string Name = "litekube-cluster-id";

    public static Metadata For(ulong clusterId) => new() { { Name, clusterId.ToString("x16", CultureInfo.InvariantCulture) } };

    /// <summary>Throws an <see cref="RpcException"/> naming the problem unless the call comes
    /// from <paramref name="clusterId"/>.</summary>
    public static void Check(Metadata headers, ulong clusterId)
    {
        var value = headers.GetValue(Name);
        if (value is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"the call names no cluster ({Name} header missing); this member belongs to cluster {clusterId:x16}"));
        }
        if (!ulong.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var caller))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{Name} header '{value}' is not 16 hex digits"));
        }
        if (caller != clusterId)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"the caller belongs to cluster {caller:x16}, this member to cluster {clusterId:x16}: refusing Raft traffic from another cluster"));
        }
    }
}
