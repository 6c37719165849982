using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

public sealed partial class ServerHost
{
    // Event ids are stable: scripts and tests match the ready line.
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "litekube server starting: node {NodeName}, data in {DataDirectory}")]
    private static partial void LogStarting(ILogger logger, string nodeName, string dataDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "litekube server ready: etcd API on {EtcdEndpoint}, Kubernetes API on {ApiEndpoint}, data in {DataDirectory}")]
    private static partial void LogReady(ILogger logger, string etcdEndpoint, string apiEndpoint, string dataDirectory);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "this node left the cluster: stopping, then wiping its datastore and credentials")]
    private static partial void LogLeaving(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "litekube server stopping: no new connections, answering requests in flight")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "litekube server stopped: datastore closed")]
    private static partial void LogStopped(ILogger logger);
}
