using System.Text;
using LiteKube.Datastore;

namespace LiteKube.Host;

/// <summary>
/// The cluster CA's certificate, recorded in the datastore by the first server to start. Every
/// server checks its own CA against it before serving: servers with different CAs would each
/// publish their own <c>kube-root-ca.crt</c> in every namespace, rewriting one another's without
/// end, and clients of one would not trust the others. Founders of a static bootstrap share the
/// CA by copying <c>tls/ca.crt</c>, <c>tls/ca.key</c> and <c>tls/service-account.key</c> from one
/// of them before their first start; joining (issue #5) hands it over.
/// </summary>
internal static class ClusterAuthorityRecord
{
    /// <summary>Outside <c>/registry/</c>: not a Kubernetes object.</summary>
    public static readonly byte[] Key = "/litekube/cluster/ca.crt"u8.ToArray();

    /// <summary>Records <paramref name="certificatePem"/> when no CA is recorded yet (atomically:
    /// of two servers starting at once, one records and the other compares); otherwise throws a
    /// <see cref="ServerStartupException"/> unless the recorded CA is the same.</summary>
    public static async Task EnsureAsync(IKeyValueStore store, string certificatePem, string dataDirectory, CancellationToken cancellationToken)
    {
        var pem = Encoding.UTF8.GetBytes(certificatePem.Trim());
        var result = await store.TxnAsync(new TxnRequest(
            [new Compare(Key, CompareTarget.Create, CompareResult.Equal) { Number = 0 }],
            [new TxnPutOp(new PutRequest(Key, pem))],
            [new TxnRangeOp(new RangeRequest(Key))]), cancellationToken);
        if (result.Succeeded)
        {
            return;
        }

        var recorded = ((RangeResult)result.Responses[0]).Kvs.SingleOrDefault()?.Value;
        if (recorded is not null && !recorded.AsSpan().SequenceEqual(pem))
        {
            throw new ServerStartupException(
                $"{Path.Combine(dataDirectory, "tls", "ca.crt")} is not the CA of the cluster this datastore belongs to; copy tls/ca.crt, tls/ca.key and tls/service-account.key from a server of the cluster into this node's data dir before it first starts");
        }
    }
}
