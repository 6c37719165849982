using System.Net;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore.Replication;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host.Membership;

/// <summary>
/// A server removed with <c>remove-node --force</c> while its machine was down still believes
/// it is a member when it comes back. Before it waits for a leader it asks the others; they
/// refuse its certificate, and it stops with a message instead of disturbing the cluster.
/// </summary>
internal static partial class RemovalCheck
{
    public static async Task ThrowIfRemovedAsync(ReplicatedStore store, ClusterApiClient peers, ServerSettings settings, ILogger logger,
        CancellationToken cancellationToken)
    {
        var others = store.Members().Where(m => m.Id != store.Id && m.PeerAddress.Length > 0).ToList();
        foreach (var peer in others)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await peers.GetAsync(peer.PeerAddress, ClusterApiPaths.Members, ClusterApiJson.Default.IReadOnlyListMemberStatus, timeout.Token);
                return; // a member answered us as a peer: we still belong
            }
            catch (ClusterApiException e) when (e.Status == HttpStatusCode.Forbidden)
            {
                throw new ServerStartupException(
                    $"{e.Message}; this server stays stopped so as not to disturb the cluster: to make it a node again, empty {settings.DataDirectory} and join with a new token from `litekube add-node`", e);
            }
            catch (Exception e) when (e is ClusterApiException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogPeerSilent(logger, peer.Name, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 47, Level = LogLevel.Debug, Message = "membership check: {Peer} did not answer ({Reason})")]
    private static partial void LogPeerSilent(ILogger logger, string peer, string reason);
}
