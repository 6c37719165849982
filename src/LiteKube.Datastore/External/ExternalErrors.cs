using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;

namespace LiteKube.Datastore.External;

/// <summary>
/// Turns etcd's gRPC errors back into <see cref="DatastoreException"/> codes: the inverse of
/// the embedded server's mapping (EtcdApi/EtcdErrors.cs), matched on etcd's exact messages
/// (api/v3rpc/rpctypes) as clientv3 does. Anything that is not an answer from etcd about the
/// request itself (a lost connection, a timeout, no leader) is Unavailable.
/// </summary>
internal static class ExternalErrors
{
    private static readonly Dictionary<string, DatastoreError> ByMessage = new(StringComparer.Ordinal)
    {
        ["etcdserver: mvcc: required revision has been compacted"] = DatastoreError.Compacted,
        ["etcdserver: mvcc: required revision is a future revision"] = DatastoreError.FutureRevision,
        ["etcdserver: requested lease not found"] = DatastoreError.LeaseNotFound,
        ["etcdserver: lease already exists"] = DatastoreError.LeaseExists,
        ["etcdserver: too large lease TTL"] = DatastoreError.LeaseTtlTooLarge,
        ["etcdserver: key not found"] = DatastoreError.KeyNotFound,
        ["etcdserver: key is not provided"] = DatastoreError.EmptyKey,
        ["etcdserver: duplicate key given in txn request"] = DatastoreError.DuplicateKey,
        ["etcdserver: too many operations in txn request"] = DatastoreError.TooManyOps,
        ["etcdserver: request is too large"] = DatastoreError.RequestTooLarge,
    };

    public static DatastoreException FromRpc(RpcException exception, Uri endpoint)
    {
        var detail = exception.Status.Detail;
        if (ByMessage.TryGetValue(detail, out var error))
        {
            return new DatastoreException(error, detail, exception);
        }

        return exception.StatusCode switch
        {
            // The member's gRPC server refused the message before etcd saw it.
            StatusCode.ResourceExhausted => new DatastoreException(DatastoreError.RequestTooLarge, "etcdserver: request is too large", exception),
            StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.FailedPrecondition
                => new DatastoreException(DatastoreError.InvalidArgument, detail, exception),
            _ => Unavailable(endpoint, exception),
        };
    }

    /// <summary>One line that says which member failed and why, naming TLS when the handshake
    /// was the problem (the usual cause: a wrong --datastore-cafile or client certificate).</summary>
    public static DatastoreException Unavailable(Uri endpoint, Exception exception)
    {
        var root = Describe(exception);
        return new DatastoreException(DatastoreError.Unavailable, $"external etcd {Trim(endpoint)}: {root}", exception);
    }

    /// <summary>True when the failure was a TLS handshake (wrong CA, rejected client certificate).</summary>
    public static bool IsTlsFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException ?? (e as RpcException)?.Status.DebugException)
        {
            if (e is AuthenticationException)
            {
                return true;
            }
        }
        return false;
    }

    public static DatastoreException Closed() =>
        new(DatastoreError.Unavailable, "external etcd: the store is closed");

    private static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException authentication)
            {
                return $"TLS handshake failed ({OneLine(authentication.Message)}); check --datastore-cafile, --datastore-certfile and --datastore-keyfile";
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return $"cannot connect ({socket.SocketErrorCode})";
            }
        }

        if (exception is RpcException rpc)
        {
            var debug = rpc.Status.DebugException is { } inner && inner is not RpcException ? Describe(inner) : null;
            if (debug is not null && rpc.Status.DebugException is HttpRequestException or IOException)
            {
                return debug;
            }
            return $"{rpc.StatusCode}: {OneLine(rpc.Status.Detail)}";
        }

        return OneLine(exception.Message);
    }

    /// <summary>True when the request certainly never reached a member (no connection could be
    /// made), so that even a write may be sent to another member.</summary>
    public static bool NeverSent(RpcException exception)
    {
        if (exception.StatusCode != StatusCode.Unavailable)
        {
            return false;
        }

        for (var e = exception.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when a read (or a write known not to have been sent) should move on to the
    /// next member: the member is down, unreachable, has no leader or took too long.</summary>
    public static bool MemberFailed(RpcException exception) =>
        exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
        || exception.Status.Detail is "etcdserver: no leader" or "etcdserver: request timed out" or "etcdserver: leader changed"
            or "etcdserver: request timed out, possibly due to previous leader failure"
            or "etcdserver: request timed out, possibly due to connection lost";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Trim(Uri endpoint) => endpoint.ToString().TrimEnd('/');
}
