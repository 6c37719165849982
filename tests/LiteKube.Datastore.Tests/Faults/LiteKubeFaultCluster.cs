using System.Net;
using Grpc.Net.Client;
using LiteKube.Datastore;
using LiteKube.Datastore.External;
using LiteKube.Datastore.Tests.External;
using LiteKube.EndToEnd.Tests.Infrastructure;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// <see cref="IFaultCluster"/> over 3 processes of the published <c>litekube</c> binary forming
/// one replicated datastore by static bootstrap: member i runs
/// <c>litekube server --data-dir D --bind-address 127.0.N.(i+1) --node-name mi --initial-cluster m0=127.0.N.1:25000,...</c>
/// (etcd API on :2379 plain h2c, Raft on :25000, Kubernetes API on :6443) inside its own cgroup,
/// so that <see cref="CgroupPartitions"/> can cut its cluster-port traffic. The clients are
/// <see cref="ExternalStore"/>s over the members' etcd APIs, member i's listing member i first.
/// </summary>
/// <remarks>
/// The block 127.0.N.0/24 comes from <see cref="EtcdAddresses"/> (a flock per address, ports
/// checked free), shared with the etcd fixtures. The binary is published once per test process
/// with the end-to-end tests' <see cref="LiteKubeBinary"/> (its file is linked into this project),
/// into <c>artifacts/fault-bin</c> rather than their <c>artifacts/e2e-bin</c>: test projects run at
/// the same time, and a publish must not rewrite a binary the other project is running.
/// A restart passes the same flags: the data dir already records the cluster. Each member's
/// console output goes to <c>mi.log</c> in the cluster's directory, deleted on dispose.
/// </remarks>
public sealed class LiteKubeFaultCluster : IFaultCluster
{
    public const int EtcdPort = 2379;
    public const int ClusterPort = 25000;
    public const int ApiPort = 6443;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly Lazy<Task<string>> Binary = new(PublishAsync);

    private readonly EtcdAddresses _addresses;
    private readonly DirectoryInfo _directory;
    private readonly CgroupPartitions _partitions;
    private readonly MemberProcess[] _members;
    private readonly Uri[] _endpoints;
    private readonly EtcdClientTls _plain = EtcdClientTls.Load(null, null, null);
    private ExternalStore[] _clients = [];
    // Members killed on purpose and not started since: not running is then expected.
    private readonly HashSet<int> _killed = [];
    private int _disposed;

    private LiteKubeFaultCluster(EtcdAddresses addresses, DirectoryInfo directory, CgroupPartitions partitions, string binary)
    {
        _addresses = addresses;
        _directory = directory;
        _partitions = partitions;
        var ips = addresses.Addresses;
        _endpoints = [.. ips.Select(ip => new Uri($"http://{ip}:{EtcdPort}"))];
        var initialCluster = string.Join(',', ips.Select((ip, i) => $"m{i}={ip}:{ClusterPort}"));
        // An empty config file: never the machine's /etc/litekube/config.yaml.
        var config = Path.Combine(directory.FullName, "config.yaml");
        File.WriteAllText(config, "");
        _members = [.. ips.Select((ip, i) => new MemberProcess($"m{i}", binary,
            [
                "server",
                "--data-dir", Path.Combine(directory.FullName, $"m{i}"),
                "--bind-address", ip.ToString(),
                "--node-name", $"m{i}",
                "--initial-cluster", initialCluster,
                "--config", config,
            ],
            Path.Combine(directory.FullName, $"m{i}.log"), captureOutput: true)
        {
            PrepareStart = start =>
            {
                foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(n => n.StartsWith("LITEKUBE_", StringComparison.Ordinal)))
                {
                    start.Environment.Remove(name);
                }
                // Native libraries (RocksDB) unpacked once for all members, inside the cluster's directory.
                start.Environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(directory.FullName, "extract");
                partitions.StartInGroup(i, start);
            },
        })];
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    /// <summary>Publishes the binary (first call in this process), starts every member and
    /// returns once each serves and knows a leader.</summary>
    public static async Task<LiteKubeFaultCluster> StartAsync(int members = 3, TimeSpan? requestTimeout = null)
    {
        var binary = await Binary.Value;
        var addresses = EtcdAddresses.Reserve(members, [EtcdPort, ClusterPort, ApiPort]);
        var directory = Directory.CreateTempSubdirectory("litekube-faults-");
        CgroupPartitions partitions;
        try
        {
            partitions = CgroupPartitions.Create([.. addresses.Addresses.Select(ip => new IPEndPoint(ip, ClusterPort))]);
        }
        catch
        {
            addresses.Dispose();
            directory.Delete(recursive: true);
            throw;
        }

        var cluster = new LiteKubeFaultCluster(addresses, directory, partitions, binary);
        try
        {
            await cluster.StartFoundersAsync();
            await cluster.WaitHealthyAsync(default);
            var options = new ExternalStoreOptions { Endpoints = cluster._endpoints, RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(3) };
            cluster._clients = [.. Enumerable.Range(0, members).Select(i =>
                ExternalStore.Create(options with { Endpoints = [.. cluster._endpoints.Skip(i), .. cluster._endpoints.Take(i)] }))];
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cluster shares one CA and service-account key: m0 creates them, the others
    /// start from copies (as the static bootstrap asks: litekube refuses a foreign CA).</summary>
    private async Task StartFoundersAsync()
    {
        Start(0);
        string[] shared = ["ca.crt", "ca.key", "service-account.key"];
        var source = Path.Combine(_directory.FullName, "m0", "tls");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!shared.All(f => File.Exists(Path.Combine(source, f))))
        {
            if (!_members[0].IsRunning || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"litekube member m0 did not create the cluster CA:\n{_members[0].LogTail()}");
            }
            await Task.Delay(100);
        }
        // Written before the files appear complete? Give the writer a moment past their creation.
        await Task.Delay(500);
        for (var i = 1; i < Count; i++)
        {
            var tls = Directory.CreateDirectory(Path.Combine(_directory.FullName, $"m{i}", "tls")).FullName;
            foreach (var file in shared)
            {
                File.Copy(Path.Combine(source, file), Path.Combine(tls, file));
            }
            Start(i);
        }
    }

    public int Count => _members.Length;

    public IReadOnlyList<IKeyValueStore> Clients => _clients;

    public Task<int> LeaderAsync(CancellationToken cancellationToken) =>
        MemberStatus.LeaderAsync(Count, i => _members[i].IsRunning, OpenChannel, cancellationToken);

    public void Kill(int member)
    {
        _killed.Add(member);
        _members[member].Kill();
    }

    public async Task RestartAsync(int member, CancellationToken cancellationToken)
    {
        Kill(member);
        Start(member);
        await WaitHealthyAsync(cancellationToken);
    }

    public async Task PowerCycleAsync(TimeSpan down, CancellationToken cancellationToken)
    {
        for (var i = 0; i < Count; i++)
        {
            Kill(i);
        }
        await Task.Delay(down, cancellationToken);
        for (var i = 0; i < Count; i++)
        {
            Start(i);
        }
        await WaitHealthyAsync(cancellationToken);
    }

    private void Start(int member)
    {
        _members[member].Start();
        _killed.Remove(member);
    }

    public void Pause(int member) => _members[member].Pause();

    public void Resume(int member) => _members[member].Resume();

    public void Isolate(int member) => _partitions.Isolate(member);

    public void Heal() => _partitions.Heal();

    /// <summary>Waits until every member not killed on purpose answers a status request naming a
    /// leader; one that exited by itself fails it with its log.</summary>
    public async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        foreach (var i in Enumerable.Range(0, Count).Where(i => !_killed.Contains(i)))
        {
            while (true)
            {
                if (!_members[i].IsRunning)
                {
                    throw new InvalidOperationException($"litekube member m{i} exited:\n{_members[i].LogTail()}");
                }
                // A new channel each round: one that failed to connect backs off for longer than a start takes.
                using (var channel = OpenChannel(i))
                {
                    if (await MemberStatus.TryGetAsync(channel, cancellationToken) is { Leader: not 0 })
                    {
                        break;
                    }
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"litekube member m{i} did not serve with a leader within {StartTimeout.TotalSeconds} s:\n{_members[i].LogTail()}");
                }
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public string LogTails() => string.Join("\n", _members.Select(m => $"--- {m.Name}\n{m.LogTail(10)}"));

    private GrpcChannel OpenChannel(int member) =>
        EtcdChannels.Create(_endpoints[member], _plain, new ExternalStoreOptions { Endpoints = [_endpoints[member]] });

    private static async Task<string> PublishAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        return await LiteKubeBinary.PublishAsync(LiteKubeBinary.RuntimeIdentifier,
            Path.Combine(RepositoryRoot.Path, "artifacts", "fault-bin"), timeout.Token);
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        foreach (var member in _members)
        {
            member.Kill();
        }
    }

    /// <summary><c>LITEKUBE_FAULT_LOGS=dir</c> keeps the members' logs there (a subdirectory per
    /// cluster): why a restart took as long as it did is in their timestamps.</summary>
    private void KeepLogs()
    {
        if (Environment.GetEnvironmentVariable("LITEKUBE_FAULT_LOGS") is not { Length: > 0 } keep)
        {
            return;
        }
        var target = Directory.CreateDirectory(Path.Combine(keep, _directory.Name)).FullName;
        foreach (var member in _members.Where(m => File.Exists(m.LogFile)))
        {
            File.Copy(member.LogFile, Path.Combine(target, Path.GetFileName(member.LogFile)), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        // SIGKILL needs no SIGCONT first, so paused members die too.
        KillOnExit(null, EventArgs.Empty);
        _partitions.Dispose();
        _plain.Dispose();
        _addresses.Dispose();
        KeepLogs();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the OS cleans its temp directory eventually.
        }
    }
}
