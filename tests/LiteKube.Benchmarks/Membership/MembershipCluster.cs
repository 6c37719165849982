using System.Diagnostics;
using System.Net;

namespace LiteKube.Benchmarks.Membership;

/// <summary>
/// Up to four nodes (n1 on the first address, n2 on the second, ...) grown the way a person
/// grows a cluster: n1 starts alone, each further node joins with the string <c>litekube
/// add-node</c> printed on n1. Disposing kills them all (the data is scratch).
/// </summary>
public sealed class MembershipCluster : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly LiteKubeCli cli;
    private readonly List<MemberNode> nodes;

    public MembershipCluster(LiteKubeCli cli, IReadOnlyList<IPAddress> addresses, string directory)
    {
        this.cli = cli;
        nodes = [.. addresses.Select((a, i) => new MemberNode($"n{i + 1}", a, Path.Combine(directory, $"n{i + 1}"), cli))];
    }

    public LiteKubeCli Cli => cli;

    public MemberNode this[int index] => nodes[index];

    public MemberNode ByName(string name) => nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new InvalidOperationException($"status names a node {name} this benchmark did not start");

    public IEnumerable<MemberNode> Running => nodes.Where(n => n.IsRunning);

    /// <summary>MicroK8s's roles: one voter below three control-plane nodes, three from there on.</summary>
    public static int VotersFor(int nodeCount) => nodeCount >= 3 ? 3 : 1;

    /// <summary>Starts n1 alone, then joins n2..n<paramref name="count"/> one by one, each once the
    /// cluster has settled (roles as MicroK8s assigns them, everyone caught up).</summary>
    public async Task GrowAsync(int count, CancellationToken cancellationToken)
    {
        await nodes[0].StartAsync(join: null, cancellationToken);
        for (var i = 1; i < count; i++)
        {
            await nodes[i].StartAsync(await cli.AddNodeAsync(nodes[0].DataDirectory, cancellationToken), cancellationToken);
            await WaitSettledAsync(i + 1, cancellationToken);
        }
    }

    /// <summary>Waits until the first <paramref name="count"/> nodes are all members with the
    /// roles MicroK8s gives that many, all reachable and caught up.</summary>
    public Task<MemberStatusView> WaitSettledAsync(int count, CancellationToken cancellationToken)
    {
        var names = nodes.Take(count).Select(n => n.Name).ToArray();
        return WaitForAsync(s => s.IsSettled(names, VotersFor(count)), TimeSpan.FromSeconds(120),
            $"{count} nodes settled ({VotersFor(count)} voters, every member caught up)", cancellationToken);
    }

    /// <summary>Polls the status on each running node in turn until one satisfies <paramref name="condition"/>.</summary>
    public async Task<MemberStatusView> WaitForAsync(Func<MemberStatusView, bool> condition, TimeSpan patience, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        MemberStatusView? last = null;
        while (clock.Elapsed < patience)
        {
            foreach (var node in Running.ToList())
            {
                if (await node.TryStatusAsync(cancellationToken) is { } status)
                {
                    last = status;
                    if (condition(status))
                    {
                        return status;
                    }
                }
            }

            await Task.Delay(Poll, cancellationToken);
        }

        throw new InvalidOperationException($"not within {patience.TotalSeconds:0} s: {what}; last status: {last?.Describe() ?? "none answered"}\n{LogTails()}");
    }

    public string LogTails() => string.Join('\n', nodes.Where(n => n.IsRunning).Select(n => $"--- {n.Name} ---\n{n.LogTail()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }
}
