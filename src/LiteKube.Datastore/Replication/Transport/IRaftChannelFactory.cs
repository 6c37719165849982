using System.Net;
using Grpc.Net.Client;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// Opens the channel to a peer's cluster port: the seam where TLS with node certificates (issue
/// #5) plugs in. The transport owns and disposes each channel it gets.
/// </summary>
public interface IRaftChannelFactory
{
    /// <param name="address">"host:port" as given to <see cref="IRaftTransport.SetPeer"/>.</param>
    GrpcChannel Create(string address);
}

/// <summary>Plain HTTP/2 (h2c), for tests and until members have certificates.</summary>
public sealed class InsecureRaftChannelFactory : IRaftChannelFactory
{
    public GrpcChannel Create(string address) =>
        GrpcChannel.ForAddress($"http://{address}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // A dead peer is noticed by pings, not only by a write that never completes.
                KeepAlivePingDelay = TimeSpan.FromSeconds(5),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                ConnectTimeout = TimeSpan.FromSeconds(3),
                // Snapshots must not wait behind the message stream for a connection slot.
                EnableMultipleHttp2Connections = true,
                AutomaticDecompression = DecompressionMethods.None,
            },
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
}
