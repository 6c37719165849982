using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using LiteKube.Cluster.Membership;
using LiteKube.Cluster.Pki;
using LiteKube.Datastore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.ApiServer.Security;

/// <summary>
/// Certificates of nodes removed from the cluster are refused (<see cref="RemovedNodeRecords"/>,
/// <see cref="CertificateOwner"/>): a list of the records, then a watch from the next revision,
/// kept in memory so that a request costs a set lookup. Requests wait for the first list, so a
/// restarted server never accepts a revoked certificate while it loads.
/// </summary>
public sealed partial class RevokedNodeCertificates(IKeyValueStore store, TimeProvider time, ILogger<RevokedNodeCertificates> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes(RemovedNodeRecords.Prefix);

    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ImmutableHashSet<string> _removed = [];

    public async Task<bool> IsRevokedAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        if (CertificateOwner.NodeOf(certificate) is not { } node)
        {
            return false;
        }

        await _loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _removed.Contains(node);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var end = Registry.ObjectStore.PrefixEnd(Prefix);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var listed = await store.RangeAsync(new RangeRequest(Prefix, end), stoppingToken).ConfigureAwait(false);
                _removed = listed.Kvs.Select(kv => NameOf(kv.Key)).ToImmutableHashSet(StringComparer.Ordinal);
                _loaded.TrySetResult();
                await using var watch = store.Watch(new WatchRequest(Prefix, end) { StartRevision = listed.Revision + 1 });
                await foreach (var batch in watch.Batches.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (batch.Canceled)
                    {
                        break; // compacted or the store stopped: list again
                    }

                    var removed = _removed;
                    foreach (var e in batch.Events)
                    {
                        removed = e.Type == WatchEventType.Put ? removed.Add(NameOf(e.Kv.Key)) : removed.Remove(NameOf(e.Kv.Key));
                    }

                    _removed = removed;
                }
            }
            catch (DatastoreException e)
            {
                LogRetrying(logger, e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private static string NameOf(byte[] key) => Encoding.UTF8.GetString(key.AsSpan(Prefix.Length));

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "reading the removed nodes failed: {Reason}; trying again")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
