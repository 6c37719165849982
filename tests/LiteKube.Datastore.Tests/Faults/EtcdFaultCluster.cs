using System.Net;
using LiteKube.Datastore;
using LiteKube.Datastore.External;
using LiteKube.Datastore.Tests.External;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// <see cref="IFaultCluster"/> over a real 3-member etcd (<see cref="EtcdCluster"/>, Debian's
/// /usr/bin/etcd with TLS) and our <see cref="ExternalStore"/> as the client: member i's client
/// lists the endpoints starting at member i.
/// </summary>
public sealed class EtcdFaultCluster : IFaultCluster
{
    private readonly EtcdCluster _etcd;
    private readonly CgroupPartitions _partitions;
    private readonly ExternalStore[] _clients;

    private EtcdFaultCluster(EtcdCluster etcd, CgroupPartitions partitions, ExternalStore[] clients)
    {
        _etcd = etcd;
        _partitions = partitions;
        _clients = clients;
    }

    public static async Task<EtcdFaultCluster> StartAsync(int members = 3, TimeSpan? requestTimeout = null)
    {
        var etcd = await EtcdCluster.StartAsync(members);
        CgroupPartitions? partitions = null;
        try
        {
            partitions = CgroupPartitions.Create(etcd.Members.Select(m => new IPEndPoint(m.Address, m.PeerUrl.Port)).ToArray());
            // The fixture starts members plainly; restart each inside its cgroup so that its peer
            // sockets carry the group iptables matches.
            for (var i = 0; i < etcd.Members.Count; i++)
            {
                var member = i;
                etcd.Members[i].PrepareStart = start => partitions.StartInGroup(member, start);
                await etcd.RestartAsync(i);
            }
            var options = etcd.StoreOptions() with { RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(3) };
            var clients = Enumerable.Range(0, members)
                .Select(i => ExternalStore.Create(options with { Endpoints = [.. options.Endpoints.Skip(i), .. options.Endpoints.Take(i)] }))
                .ToArray();
            return new EtcdFaultCluster(etcd, partitions, clients);
        }
        catch
        {
            await etcd.DisposeAsync();
            partitions?.Dispose();
            throw;
        }
    }

    public int Count => _etcd.Members.Count;

    public IReadOnlyList<IKeyValueStore> Clients => _clients;

    public Task<int> LeaderAsync(CancellationToken cancellationToken) =>
        MemberStatus.LeaderAsync(Count, i => _etcd.Members[i].IsRunning, _etcd.OpenChannel, cancellationToken);

    public void Kill(int member) => _etcd.Members[member].Kill();

    public Task RestartAsync(int member, CancellationToken cancellationToken) => _etcd.RestartAsync(member);

    public async Task PowerCycleAsync(TimeSpan down, CancellationToken cancellationToken)
    {
        foreach (var member in _etcd.Members)
        {
            member.Kill();
        }
        await Task.Delay(down, cancellationToken);
        foreach (var member in _etcd.Members)
        {
            member.Start();
        }
        await _etcd.WaitReadyAsync();
    }

    public void Pause(int member) => _etcd.Members[member].Pause();

    public void Resume(int member) => _etcd.Members[member].Resume();

    public void Isolate(int member) => _partitions.Isolate(member);

    public void Heal() => _partitions.Heal();

    public Task WaitHealthyAsync(CancellationToken cancellationToken) => _etcd.WaitReadyAsync();

    public string LogTails() => string.Join("\n", _etcd.Members.Select(m => $"--- {m.Name}\n{m.LogTail(10)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        await _etcd.DisposeAsync();
        _partitions.Dispose();
    }
}
