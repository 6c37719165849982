using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace LiteKube.Datastore.External;

/// <summary>The external store's log lines (event ids 4100-4199).</summary>
internal static partial class ExternalStoreLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "External etcd {Endpoint} failed ({Code}: {Detail}); moving to the next member")]
    public static partial void MemberFailed(ILogger logger, Uri endpoint, StatusCode code, string detail);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "External etcd is not reachable yet (attempt {Attempt}), retrying in {Seconds} s: {Reason}")]
    public static partial void Unreachable(ILogger logger, int attempt, double seconds, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "External etcd watch re-established on {Endpoint} from revision {Revision}")]
    public static partial void WatchResumed(ILogger logger, Uri endpoint, long revision);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "External etcd watch on {Endpoint} broke ({Reason}); retrying in {Milliseconds} ms")]
    public static partial void WatchBroken(ILogger logger, Uri endpoint, string reason, double milliseconds);
}
