using LiteKube.Cluster.Membership;
using LiteKube.Datastore;
using LiteKube.Datastore.Replication;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host.Membership;

/// <summary>
/// Keeps the datastore's voters as <see cref="VoterPlanner"/> wants them. Runs on every server
/// and acts only while this one leads the datastore, one change per round, level-based: each
/// round looks at the membership as it is now, so a change that failed or a leader that moved
/// is simply looked at again. "Unreachable for the grace period" is measured from the last
/// message the leader got from a member.
/// </summary>
internal sealed partial class RoleManager : IAsyncDisposable
{
    /// <summary>A standby this close to the leader's log may vote without stalling commits.</summary>
    public const ulong CaughtUpLag = 1000;

    private readonly ReplicatedStore store;
    private readonly VoterPlanner planner;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TimeSpan interval;
    private DateTimeOffset? leaderSince;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    public RoleManager(ReplicatedStore store, VoterPlanner planner, TimeProvider time, ILogger logger, TimeSpan? interval = null)
    {
        this.store = store;
        this.planner = planner;
        this.time = time;
        this.logger = logger;
        this.interval = interval ?? TimeSpan.FromSeconds(1);
        loop = Task.Run(RunAsync);
    }

    /// <summary>How long the leader (this server) has not heard from <paramref name="id"/>;
    /// null when this server does not lead.</summary>
    public TimeSpan? UnreachableFor(ulong id) =>
        store.Members().FirstOrDefault(m => m.Id == id) is { } member && Silence(member) is { } silence ? silence : null;

    /// <summary>Since when <paramref name="member"/> was last heard from, counted from no
    /// earlier than when this server became leader: every member gets a full grace period
    /// from a new leader, who cannot know what happened before.</summary>
    private TimeSpan? Silence(ReplicatedMember member)
    {
        lock (gate)
        {
            if (leaderSince is not { } since || !store.IsLeader)
            {
                return null;
            }

            var heard = member.Id == store.Id ? time.GetUtcNow() : member.LastHeard is { } at && at > since ? at : since;
            return time.GetUtcNow() - heard;
        }
    }

    /// <summary>One round, for tests and for callers that just changed the membership.</summary>
    public async Task<VoterChange?> ReconcileAsync(CancellationToken cancellationToken)
    {
        var members = Observe();
        if (members is null)
        {
            return null;
        }

        var change = planner.Next(members);
        if (change is null)
        {
            return null;
        }

        LogChange(logger, change.Kind, change.Id, change.Reason);
        if (change.Kind == VoterChangeKind.Promote)
        {
            await store.PromoteAsync(change.Id, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.DemoteAsync(change.Id, cancellationToken).ConfigureAwait(false);
        }

        return change;
    }

    /// <summary>The members as the planner sees them, or null when this server does not lead.</summary>
    private List<PlannedMember>? Observe()
    {
        lock (gate)
        {
            if (!store.IsLeader)
            {
                leaderSince = null;
                return null;
            }

            leaderSince ??= time.GetUtcNow();
        }

        return [.. store.Members().Select(m => new PlannedMember(m.Id, !m.IsLearner, m.IsLeader,
            m.Match is > 0 && m.Lag <= CaughtUpLag, Silence(m) ?? TimeSpan.Zero))];
    }

    private async Task RunAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stopping.Token).ConfigureAwait(false);
                await ReconcileAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (DatastoreException e)
            {
                LogFailed(logger, e.Message); // leadership moved or the change timed out: next round
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await loop;
        stopping.Dispose();
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "datastore roles: {Kind} member {Id:x16}: {Reason}")]
    private static partial void LogChange(ILogger logger, VoterChangeKind kind, ulong id, string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "datastore roles: change failed, retrying: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
