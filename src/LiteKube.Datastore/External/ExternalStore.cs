using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.External;

/// <summary>
/// <see cref="IKeyValueStore"/> over a real etcd cluster through etcd's v3 gRPC API (K3s'
/// <c>--datastore-endpoint</c>). etcd already is the data model the contract describes, so
/// requests and results map field for field (<see cref="ProtoRequests"/>, <see cref="ProtoResults"/>).
/// </summary>
/// <remarks>
/// <para>Failover: calls go to one member until it fails, then to the next. A read, or a write
/// that certainly never reached a member (no connection), moves on and is retried once per
/// member. A write whose outcome is unknown (sent, then the connection or the deadline failed)
/// is not retried: it fails with Unavailable, as etcd's clientv3 does, because a retried write
/// could apply twice.</para>
/// <para>Watches re-establish on another member from the revision after their last event, so no
/// revision is skipped or repeated (<see cref="ExternalWatch"/>).</para>
/// <para>Not guaranteed: etcd's own limits (request size, txn ops, lease TTLs) are the external
/// cluster's settings, not ours; progress notifications have the ordering of the etcd
/// version behind it (etcd before 3.4.24 may send a requested one ahead of a watch's events).</para>
/// </remarks>
public sealed partial class ExternalStore : IKeyValueStore
{
    private readonly ExternalStoreOptions options;
    private readonly EtcdClientTls tls;
    private readonly EtcdEndpointPool pool;
    private readonly ILogger logger;
    private readonly CancellationTokenSource closing = new();
    private readonly HashSet<ExternalWatch> watches = [];
    private long lastRevision;
    private int closed;

    private ExternalStore(ExternalStoreOptions options, EtcdClientTls tls)
    {
        this.options = options;
        this.tls = tls;
        pool = new EtcdEndpointPool(options.Endpoints, tls, options);
        logger = options.LoggerFactory.CreateLogger<ExternalStore>();
    }

    /// <summary>Loads the TLS files and builds the channels; connects lazily, on the first call.</summary>
    /// <exception cref="ExternalStoreSetupException">No endpoint, or unusable TLS files.</exception>
    public static ExternalStore Create(ExternalStoreOptions options)
    {
        if (options.Endpoints.Count == 0)
        {
            throw new ExternalStoreSetupException("datastore endpoint: no URL given; expected e.g. https://127.0.0.1:2379");
        }

        return new ExternalStore(options, EtcdClientTls.Load(options.CaFile, options.CertFile, options.KeyFile));
    }

    /// <summary>The members' client URLs, in the order failover tries them.</summary>
    public IReadOnlyList<Uri> Endpoints => options.Endpoints;

    /// <summary>The newest revision any response has carried (a lower bound of the cluster's).</summary>
    public long LastSeenRevision => Interlocked.Read(ref lastRevision);

    /// <summary>Waits until some member answers a linearizable read; logs each failed round.
    /// A failed TLS handshake is not waited out: it is a settings problem and fails at once.</summary>
    /// <returns>The cluster's revision.</returns>
    public async Task<long> WaitUntilReachableAsync(TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await RangeAsync(new RangeRequest([0], [0]) { CountOnly = true, Limit = 1 }, cancellationToken);
                return result.Revision;
            }
            catch (DatastoreException e) when (e.Error == DatastoreError.Unavailable && !ExternalErrors.IsTlsFailure(e))
            {
                ExternalStoreLog.Unreachable(logger, attempt, retryDelay.TotalSeconds, e.Message);
                await Task.Delay(retryDelay, options.Time, cancellationToken);
            }
        }
    }

    /// <summary>Runs one unary call with failover (see the class remarks).</summary>
    private async Task<T> CallAsync<T>(Func<GrpcChannel, CallOptions, Task<T>> call, bool write, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closing.Token);
        RpcException? last = null;
        Uri? lastEndpoint = null;
        for (var attempt = 0; attempt < pool.Count; attempt++)
        {
            var ticket = pool.Current;
            var endpoint = pool.Endpoint(ticket);
            var callOptions = new CallOptions(
                deadline: options.Time.GetUtcNow().UtcDateTime + options.RequestTimeout,
                cancellationToken: linked.Token);
            try
            {
                return await call(pool.Channel(ticket), callOptions);
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the datastore call was canceled", e, cancellationToken);
            }
            catch (RpcException) when (closing.IsCancellationRequested)
            {
                throw ExternalErrors.Closed();
            }
            catch (RpcException e) when (ExternalErrors.MemberFailed(e))
            {
                pool.MoveOn(ticket);
                ExternalStoreLog.MemberFailed(logger, endpoint, e.StatusCode, e.Status.Detail);
                if (write && !ExternalErrors.NeverSent(e))
                {
                    throw ExternalErrors.Unavailable(endpoint, e);
                }
                last = e;
                lastEndpoint = endpoint;
            }
            catch (RpcException e)
            {
                throw ExternalErrors.FromRpc(e, endpoint);
            }
        }

        throw ExternalErrors.Unavailable(lastEndpoint!, last!);
    }

    private T Seen<T>(T result, long revision)
    {
        long seen;
        while (revision > (seen = Interlocked.Read(ref lastRevision)) && Interlocked.CompareExchange(ref lastRevision, revision, seen) != seen)
        {
        }
        return result;
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref closed) != 0)
        {
            throw ExternalErrors.Closed();
        }
    }

    private static EtcdPb.KV.KVClient Kv(GrpcChannel channel) => new(channel);

    private static EtcdPb.Lease.LeaseClient Lease(GrpcChannel channel) => new(channel);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        closing.Cancel();
        ExternalWatch[] open;
        lock (watches)
        {
            open = [.. watches];
        }
        foreach (var watch in open)
        {
            await watch.DisposeAsync();
        }
        pool.Dispose();
        tls.Dispose();
        closing.Dispose();
    }
}
