using Etcdserverpb;
using Grpc.Core;
using LiteKube.Benchmarks.Clients;

namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// N member processes started together (a Raft cluster cannot answer before a quorum is up, so
/// members must not wait for each other one by one) and seen as one server under test.
/// </summary>
public sealed class ClusterServer : IBenchmarkCluster
{
    /// <summary>Starts member i; <c>initial</c> is false when it restarts on an existing data dir.</summary>
    public delegate Task<ServerProcess> MemberStarter(int member, bool initial, CancellationToken cancellationToken);

    private readonly ServerProcess?[] _members;
    private readonly MemberStarter _start;

    private ClusterServer(string name, ServerProcess[] members, MemberStarter start)
    {
        Name = name;
        _members = members;
        _start = start;
    }

    public static async Task<ClusterServer> StartAsync(string name, int size, MemberStarter start, CancellationToken cancellationToken)
    {
        var starting = Enumerable.Range(0, size).Select(i => start(i, true, cancellationToken)).ToArray();
        try
        {
            return new ClusterServer(name, await Task.WhenAll(starting), start);
        }
        catch
        {
            // Stop whichever members did come up before reporting the one that did not.
            foreach (var task in starting)
            {
                if (task.IsCompletedSuccessfully)
                {
                    await task.Result.DisposeAsync();
                }
            }

            throw;
        }
    }

    public string Name { get; }

    public string Endpoint => Members[0].Endpoint;

    public IReadOnlyList<string> Endpoints => Members.Select(m => m.Endpoint).ToList();

    public string DataDirectory => Members[0].DataDirectory;

    public long ReadyTimestamp => Members.Max(m => m.ReadyTimestamp);

    public IReadOnlyList<IBenchmarkServer> Members =>
        _members.Select((m, i) => m ?? throw new InvalidOperationException($"{Name} member {i} is down")).ToList();

    public MemoryUsage ReadMemory() => Members.Aggregate(MemoryUsage.Zero, (sum, m) => sum + m.ReadMemory());

    public CpuTimes ReadCpuTimes() => Members.Aggregate(CpuTimes.Zero, (sum, m) => sum + m.ReadCpuTimes());

    public string LogTail() => string.Join('\n', _members.Select((m, i) => $"--- member {i}:\n{m?.LogTail() ?? "(down)"}"));

    public async Task<int> FindLeaderAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _members.Length; i++)
        {
            if (_members[i] is not { } member)
            {
                continue;
            }

            using var connection = EtcdConnection.Open(member.Endpoint);
            try
            {
                var status = await connection.Maintenance.StatusAsync(
                    new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (status.Leader != 0 && status.Leader == status.Header.MemberId)
                {
                    return i;
                }
            }
            catch (RpcException)
            {
                // Between leaders or restarting: ask the next one.
            }
        }

        return -1;
    }

    public async Task KillAsync(int member)
    {
        if (_members[member] is { } process)
        {
            _members[member] = null;
            await process.KillAsync();
        }
    }

    public async Task RestartAsync(int member, CancellationToken cancellationToken)
    {
        if (_members[member] is not null)
        {
            throw new InvalidOperationException($"{Name} member {member} is still running");
        }

        _members[member] = await _start(member, false, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_members.OfType<ServerProcess>().Select(m => m.DisposeAsync().AsTask()));
        Array.Clear(_members);
    }
}
