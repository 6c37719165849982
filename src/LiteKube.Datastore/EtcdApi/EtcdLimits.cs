namespace LiteKube.Datastore.EtcdApi;

/// <summary>etcd's default request limits, which clients such as kube-apiserver are tuned for.</summary>
internal static class EtcdLimits
{
    /// <summary>etcd's --max-request-bytes default (1.5 MiB).</summary>
    public const int MaxRequestBytes = 1536 * 1024;

    /// <summary>etcd lets gRPC receive this much more than MaxRequestBytes so that a request just
    /// over the limit is answered with "request is too large" rather than a transport error.</summary>
    public const int MaxReceiveMessageBytes = MaxRequestBytes + 512 * 1024;

    /// <summary>etcd's --max-txn-ops default, per compare/success/failure list.</summary>
    public const int MaxTxnOps = 128;

    /// <summary>The cluster version LiteKube reports: the etcd API level it speaks.</summary>
    public const string ServerVersion = "3.5.0";
}
