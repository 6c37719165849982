using System.Net;
using Grpc.Net.Client;

namespace LiteKube.Datastore.External;

/// <summary>Builds the HTTP/2 gRPC channel to one etcd member.</summary>
internal static class EtcdChannels
{
    public static GrpcChannel Create(Uri endpoint, EtcdClientTls tls, ExternalStoreOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            // Finds a member that vanished without closing the connection (power loss, SIGSTOP)
            // so that watches move on. etcd refuses pings more often than every 5 s
            // (--grpc-keepalive-min-time), so stay above that.
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                tls.ValidateServer(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, chain, errors);
            if (tls.ClientCertificate is not null)
            {
                handler.SslOptions.ClientCertificates = [tls.ClientCertificate];
            }
        }

        return GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            // As etcd's clientv3 (MaxCallSendMsgSize): a message above etcd's default gRPC
            // receive limit (--max-request-bytes 1.5 MiB + 512 KiB) fails here, as RequestTooLarge.
            // Sent, etcd would reset the stream while the client still writes it, and the reset
            // races the answer: the caller would see Unavailable half of the time. Below it,
            // etcd's own --max-request-bytes decides, in etcd's words.
            MaxSendMessageSize = 2 * 1024 * 1024,
            MaxReceiveMessageSize = null,
            LoggerFactory = options.LoggerFactory,
            // A channel that failed to connect fails every call at once until its back-off
            // ends; keep that short so a restarted member is used again within a second or two.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(200),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        });
    }
}
