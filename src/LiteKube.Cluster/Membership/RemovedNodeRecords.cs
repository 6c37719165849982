namespace LiteKube.Cluster.Membership;

/// <summary>
/// <c>litekube remove-node</c> leaves a record per removed node in the datastore, outside
/// <c>/registry/</c>: the cluster port refuses that node's peer certificate and the API server
/// its client certificates while the record exists. A node that joins again under the same name
/// has its record deleted by the join.
/// </summary>
public static class RemovedNodeRecords
{
    public const string Prefix = "/litekube/removed-nodes/";

    public static string KeyOf(string nodeName) => Prefix + nodeName;
}
