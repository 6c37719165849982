using Grpc.Net.Client;

namespace LiteKube.Datastore.External;

/// <summary>
/// One gRPC channel per etcd member and the member calls go to now. A member that fails is
/// skipped by moving the cursor on (once per failure, however many calls saw it), so calls
/// stick to a healthy member instead of spreading over the cluster.
/// </summary>
internal sealed class EtcdEndpointPool : IDisposable
{
    private readonly Uri[] endpoints;
    private readonly GrpcChannel[] channels;
    private int cursor;

    public EtcdEndpointPool(IReadOnlyList<Uri> endpoints, EtcdClientTls tls, ExternalStoreOptions options)
    {
        this.endpoints = endpoints.ToArray();
        channels = this.endpoints.Select(e => EtcdChannels.Create(e, tls, options)).ToArray();
    }

    public int Count => endpoints.Length;

    /// <summary>A ticket for the member calls should use now; hand it back to
    /// <see cref="MoveOn"/> when that member failed.</summary>
    public int Current => Volatile.Read(ref cursor);

    public Uri Endpoint(int ticket) => endpoints[ticket % endpoints.Length];

    public GrpcChannel Channel(int ticket) => channels[ticket % channels.Length];

    /// <summary>Moves to the next member unless another caller already moved past <paramref name="failed"/>.</summary>
    public void MoveOn(int failed) => Interlocked.CompareExchange(ref cursor, failed + 1, failed);

    public void Dispose()
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }
}
