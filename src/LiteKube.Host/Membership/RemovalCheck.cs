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
        // Asked in parallel with a short patience: at a cold start of the whole cluster most
        // peers do not answer yet, and this check must not delay the start by much.
        var others = store.Members().Where(m => m.Id != store.Id && m.PeerAddress.Length > 0).ToList();
        var answers = await Task.WhenAll(others.Select(peer => AskAsync(peer, peers, logger, cancellationToken)));
        if (answers.FirstOrDefault(a => a is not null) is { } refusal)
        {
            throw new ServerStartupException(
                $"{refusal.Message}; this server stays stopped so as not to disturb the cluster: to make it a node again, empty {settings.DataDirectory} and join with a new token from `litekube add-node`", refusal);
        }
    }

    /// <summary>The peer's refusal of this server, or null when it answered or could not be asked.</summary>
    private static async Task<ClusterApiException?> AskAsync(ReplicatedMember peer, ClusterApiClient peers, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await peers.GetAsync(peer.PeerAddress, ClusterApiPaths.Members, ClusterApiJson.Default.IReadOnlyListMemberStatus, timeout.Token);
            return null;
        }
        catch (ClusterApiException e) when (e.Status == HttpStatusCode.Forbidden)
        {
            return e;
        }
        catch (Exception e) when (e is ClusterApiException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogPeerSilent(logger, peer.Name, e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 47, Level = LogLevel.Debug, Message = "membership check: {Peer} did not answer ({Reason})")]
    private static partial void LogPeerSilent(ILogger logger, string peer, string reason);
}
