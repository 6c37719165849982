using LiteKube.Datastore;
using LiteKube.Datastore.External;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

/// <summary>Which datastore the server runs over: the embedded one (<see cref="EmbeddedDatastore"/>),
/// or an external etcd cluster (<c>--datastore-endpoint</c>), in which case nothing is opened under db/.</summary>
public sealed partial class ServerHost
{
    /// <summary>How long to wait between attempts to reach an external etcd at startup.</summary>
    internal static readonly TimeSpan ExternalDatastoreRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>The external etcd, or null when the server runs the embedded datastore
    /// (<see cref="EmbeddedDatastore"/>, opened by the caller).</summary>
    private static async Task<IKeyValueStore?> OpenExternalDatastoreAsync(ServerSettings settings, TimeProvider timeProvider,
        ILoggerFactory loggerFactory, ILogger logger, CancellationToken cancellationToken) =>
        settings.ExternalDatastore is { } external
            ? await OpenExternalDatastoreAsync(settings, external, timeProvider, loggerFactory, logger, cancellationToken)
            : null;

    /// <summary>As K3s: an etcd that is not reachable yet (still booting, a network blip) is
    /// waited for, with a log line per attempt that says why, until it answers or the server
    /// is stopped. Unusable settings fail at once.</summary>
    private static async Task<IKeyValueStore> OpenExternalDatastoreAsync(ServerSettings settings, ExternalDatastoreSettings external,
        TimeProvider timeProvider, ILoggerFactory loggerFactory, ILogger logger, CancellationToken cancellationToken)
    {
        ExternalStore store;
        try
        {
            store = ExternalStore.Create(new ExternalStoreOptions
            {
                Endpoints = external.Endpoints,
                CaFile = external.CaFile,
                CertFile = external.CertFile,
                KeyFile = external.KeyFile,
                Time = timeProvider,
                LoggerFactory = loggerFactory,
            });
        }
        catch (ExternalStoreSetupException e)
        {
            throw new ServerStartupException($"connecting to the {settings.DatastoreDescription}: {OneLine(e.Message)}", e);
        }

        try
        {
            LogExternalDatastore(logger, settings.DatastoreDescription);
            var revision = await store.WaitUntilReachableAsync(ExternalDatastoreRetryDelay, cancellationToken);
            LogExternalDatastoreReachable(logger, revision);
            return store;
        }
        catch (DatastoreException e)
        {
            await store.DisposeAsync();
            throw new ServerStartupException($"connecting to the {settings.DatastoreDescription}: {OneLine(e.Message)}", e);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "litekube server using {Datastore}; the embedded datastore and etcd API are not started")]
    private static partial void LogExternalDatastore(ILogger logger, string datastore);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "external etcd reachable at revision {Revision}")]
    private static partial void LogExternalDatastoreReachable(ILogger logger, long revision);
}
