using Microsoft.Extensions.Logging;

namespace LiteKube.Datastore.Replication.Transport;

internal static partial class RaftTransportLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Raft stream to member {Peer:x} at {Address} failed; retrying in {Delay}")]
    public static partial void StreamFailed(this ILogger logger, ulong peer, string address, TimeSpan delay, Exception error);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Snapshot to member {Peer:x} at {Address} failed")]
    public static partial void SnapshotFailed(this ILogger logger, ulong peer, string address, Exception error);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Refused a Raft call from {Caller}: {Reason}")]
    public static partial void CallRefused(this ILogger logger, string caller, string reason);
}
