using LiteKube.Cluster.Membership;
using LiteKube.Datastore;
using LiteKube.Host.Membership;
using LiteKube.Host.Tls;
using Microsoft.AspNetCore.Builder;

namespace LiteKube.Host;

/// <summary>What a server has started so far, stopped in the one right order whether the start
/// failed halfway or the server stops: the Kubernetes API first (no new requests), the role
/// manager, the datastore (its transport ends the peers' streams), then the cluster listener.
/// The data directory lock is released last, separately, after anything that still writes there.</summary>
internal sealed class StartedParts(DataDirectoryLock dataDirectoryLock) : IAsyncDisposable
{
    public ClusterCredentials? Credentials { get; set; }

    public IKeyValueStore? External { get; set; }

    public EmbeddedDatastore? Embedded { get; set; }

    public ClusterApiClient? Peers { get; set; }

    public ClusterListener? Listener { get; set; }

    public RoleManager? Roles { get; set; }

    public WebApplication? App { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            using var timeout = new CancellationTokenSource(ServerHost.ShutdownTimeout);
            try
            {
                await App.StopAsync(timeout.Token);
            }
            finally
            {
                await App.DisposeAsync();
            }
        }

        if (Roles is not null)
        {
            await Roles.DisposeAsync();
        }

        if (External is not null)
        {
            await External.DisposeAsync();
        }

        if (Embedded is not null)
        {
            await Embedded.DisposeAsync();
        }

        if (Listener is not null)
        {
            await Listener.DisposeAsync();
        }

        Peers?.Dispose();
        Credentials?.Dispose();
    }

    public void ReleaseDataDirectory() => dataDirectoryLock.Dispose();
}
