using System.Net;
using System.Net.Security;
using Grpc.Net.Client;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// Opens the channel to a peer's cluster port: the seam where TLS with node certificates plugs
/// in (the server uses mutual TLS; tests of the transport alone use h2c). The transport owns and
/// disposes each channel it gets.
/// </summary>
public interface IRaftChannelFactory
{
    /// <param name="address">"host:port" as given to <see cref="IRaftTransport.SetPeer"/>.</param>
    GrpcChannel Create(string address);
}

/// <summary>Plain HTTP/2 (h2c), for tests of the transport on its own.</summary>
public sealed class InsecureRaftChannelFactory : IRaftChannelFactory
{
    public GrpcChannel Create(string address) => RaftChannels.Create($"http://{address}", tls: null);
}

/// <summary>Mutual TLS: the peer must present a certificate that <see cref="ClientOptions"/>
/// accepts, and this member presents its own.</summary>
public sealed class TlsRaftChannelFactory(SslClientAuthenticationOptions clientOptions) : IRaftChannelFactory
{
    public SslClientAuthenticationOptions ClientOptions { get; } = clientOptions;

    public GrpcChannel Create(string address) => RaftChannels.Create($"https://{address}", ClientOptions);
}

internal static class RaftChannels
{
    public static GrpcChannel Create(string url, SslClientAuthenticationOptions? tls)
    {
        var handler = new SocketsHttpHandler
        {
            // A dead peer is noticed by pings, not only by a write that never completes.
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            // Snapshots must not wait behind the message stream for a connection slot.
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (tls is not null)
        {
            handler.SslOptions = tls;
        }

        return GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
    }
}
