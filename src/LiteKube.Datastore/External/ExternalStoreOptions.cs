using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiteKube.Datastore.External;

/// <summary>How to reach an external etcd cluster (K3s' <c>--datastore-endpoint</c> and the
/// <c>--datastore-cafile/certfile/keyfile</c> trio).</summary>
public sealed record ExternalStoreOptions
{
    /// <summary>Client URLs of the members, http:// or https://; see <see cref="EtcdEndpoints.Parse"/>.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>PEM CA bundle that signs the members' serving certificates; null = the system's trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate and key, for members that require client certificates
    /// (etcd's <c>--client-cert-auth</c>); both or neither.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>Bound on each unary call, so that a paused member (SIGSTOP, a partition) cannot
    /// hang a request forever; the call then fails with Unavailable.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on establishing a TCP + TLS connection to one member.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>First wait before a broken watch is re-established (doubles up to 2 s).</summary>
    public TimeSpan WatchRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
