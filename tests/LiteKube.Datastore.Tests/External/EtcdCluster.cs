using System.Net;
using Grpc.Core;
using LiteKube.Datastore.External;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.External;

/// <summary>
/// A real etcd cluster from Debian's <c>/usr/bin/etcd</c> (3.4): N members on 127.0.N.1..N
/// (ports 2379/2380, see <see cref="EtcdAddresses"/>), each with its own data directory, peer and
/// client TLS with mutual certificate checks (<see cref="EtcdTestCertificates"/>).
/// </summary>
/// <example><code>
/// await using var etcd = await EtcdCluster.StartAsync(3);
/// etcd.Members[0].Kill();                 // kill -9
/// await etcd.RestartAsync(0);             // same data dir, waits until it serves
/// etcd.Members[1].Pause(); etcd.Members[1].Resume();   // SIGSTOP / SIGCONT
/// var options = etcd.StoreOptions();      // endpoints + TLS files for ExternalStore
/// </code></example>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly EtcdAddresses addresses;
    private readonly EtcdClientTls clientTls;
    private int disposed;

    private EtcdCluster(string directory, EtcdAddresses addresses, EtcdTestCertificates? certificates, IReadOnlyList<EtcdMember> members)
    {
        Directory = directory;
        this.addresses = addresses;
        Certificates = certificates;
        Members = members;
        clientTls = EtcdClientTls.Load(certificates?.CaFile, certificates?.ClientCertFile, certificates?.ClientKeyFile);
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    /// <summary>Holds every member's data dir, log and the certificates; deleted on dispose.</summary>
    public string Directory { get; }

    public IReadOnlyList<EtcdMember> Members { get; }

    /// <summary>Null when started with <c>tls: false</c>.</summary>
    public EtcdTestCertificates? Certificates { get; }

    public IReadOnlyList<Uri> ClientEndpoints => Members.Select(m => m.ClientUrl).ToArray();

    /// <summary>The endpoints as <c>--datastore-endpoint</c> takes them.</summary>
    public string EndpointList => string.Join(',', ClientEndpoints.Select(u => u.ToString().TrimEnd('/')));

    /// <summary>Starts <paramref name="members"/> members and returns once every one serves.</summary>
    /// <param name="heartbeat">etcd's --heartbeat-interval; the default is etcd's (100 ms).</param>
    /// <param name="electionTimeout">etcd's --election-timeout; the default is etcd's (1,000 ms).</param>
    /// <param name="inMemory">Data directories on tmpfs (/dev/shm): fsync costs nothing, so a
    /// cluster starts in a fraction of the time. A kill -9 still loses only what etcd itself
    /// had not written; only a machine crash differs, and no test crashes the machine.</param>
    public static async Task<EtcdCluster> StartAsync(int members = 1, bool tls = true,
        TimeSpan? heartbeat = null, TimeSpan? electionTimeout = null, IReadOnlyList<string>? extraArguments = null,
        bool inMemory = false)
    {
        var addresses = EtcdAddresses.Reserve(members);
        var directory = inMemory && System.IO.Directory.Exists("/dev/shm")
            ? System.IO.Directory.CreateDirectory(Path.Combine("/dev/shm", $"litekube-etcd-{Guid.NewGuid():N}")).FullName
            : System.IO.Directory.CreateTempSubdirectory("litekube-etcd-").FullName;
        var scheme = tls ? "https" : "http";
        var names = addresses.Addresses.Select((address, i) => (Name: $"m{i + 1}", Address: address)).ToArray();
        var certificates = tls ? EtcdTestCertificates.Create(Path.Combine(directory, "tls"), names) : null;
        var initialCluster = string.Join(',', names.Select(n => $"{n.Name}={scheme}://{n.Address}:{EtcdAddresses.PeerPort}"));
        var token = $"litekube-test-{Guid.NewGuid():N}";
        var list = names.Select(n =>
        {
            var clientUrl = new Uri($"{scheme}://{n.Address}:{EtcdAddresses.ClientPort}");
            var peerUrl = new Uri($"{scheme}://{n.Address}:{EtcdAddresses.PeerPort}");
            var dataDirectory = Path.Combine(directory, n.Name);
            var logFile = Path.Combine(directory, $"{n.Name}.log");
            var args = new List<string>
            {
                "--name", n.Name, "--data-dir", dataDirectory,
                "--listen-client-urls", Trim(clientUrl), "--advertise-client-urls", Trim(clientUrl),
                "--listen-peer-urls", Trim(peerUrl), "--initial-advertise-peer-urls", Trim(peerUrl),
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", token,
                "--heartbeat-interval", ((int)(heartbeat ?? TimeSpan.FromMilliseconds(100)).TotalMilliseconds).ToString(),
                "--election-timeout", ((int)(electionTimeout ?? TimeSpan.FromSeconds(1)).TotalMilliseconds).ToString(),
                "--logger", "zap", "--log-outputs", logFile, "--log-level", "info",
            };
            if (certificates is not null)
            {
                args.AddRange([
                    "--cert-file", certificates.MemberCertFile(n.Name), "--key-file", certificates.MemberKeyFile(n.Name),
                    "--client-cert-auth", "--trusted-ca-file", certificates.CaFile,
                    "--peer-cert-file", certificates.MemberCertFile(n.Name), "--peer-key-file", certificates.MemberKeyFile(n.Name),
                    "--peer-client-cert-auth", "--peer-trusted-ca-file", certificates.CaFile,
                ]);
            }
            args.AddRange(extraArguments ?? []);
            return new EtcdMember(n.Name, n.Address, clientUrl, peerUrl, dataDirectory, logFile, args);
        }).ToArray();

        var cluster = new EtcdCluster(directory, addresses, certificates, list);
        try
        {
            foreach (var member in list)
            {
                member.Start();
            }
            await cluster.WaitReadyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static string Trim(Uri uri) => uri.ToString().TrimEnd('/');

    /// <summary>Options for an external store over every member of this cluster.</summary>
    public ExternalStoreOptions StoreOptions() => new()
    {
        Endpoints = ClientEndpoints,
        CaFile = Certificates?.CaFile,
        CertFile = Certificates?.ClientCertFile,
        KeyFile = Certificates?.ClientKeyFile,
    };

    /// <summary>Starts a stopped (killed) member again over its data directory and waits until
    /// every running member serves with a leader.</summary>
    public async Task RestartAsync(int member)
    {
        Members[member].Kill();
        Members[member].Start();
        await WaitReadyAsync();
    }

    /// <summary>kill -9 of every member at once (a whole-cluster power loss), then starts them all
    /// again over their data directories and waits until they serve.</summary>
    public async Task RestartAllAsync()
    {
        foreach (var member in Members)
        {
            member.Kill();
        }
        foreach (var member in Members)
        {
            member.Start();
        }
        await WaitReadyAsync();
    }

    /// <summary>Waits until every running member answers a status request and knows a leader.</summary>
    public async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        foreach (var member in Members.Where(m => m.IsRunning))
        {
            while (true)
            {
                if (!member.IsRunning)
                {
                    throw new InvalidOperationException($"etcd member {member.Name} exited while starting:\n{member.LogTail()}");
                }

                // A new channel each round: a channel that failed to connect backs off for a
                // second or more before it tries again, longer than etcd takes to start.
                using var channel = OpenChannel(Members.ToList().IndexOf(member));
                var maintenance = new EtcdPb.Maintenance.MaintenanceClient(channel);
                try
                {
                    var status = await maintenance.StatusAsync(new EtcdPb.StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(1));
                    if (status.Leader != 0)
                    {
                        break;
                    }
                }
                catch (RpcException) when (DateTime.UtcNow < deadline)
                {
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"etcd member {member.Name} did not serve within {StartTimeout.TotalSeconds} s:\n{member.LogTail()}");
                }
                await Task.Delay(50);
            }
        }
    }

    /// <summary>A gRPC channel to one member with the cluster's client TLS, for tests that talk
    /// etcd's API directly.</summary>
    internal Grpc.Net.Client.GrpcChannel OpenChannel(int member) =>
        EtcdChannels.Create(Members[member].ClientUrl, clientTls, new ExternalStoreOptions { Endpoints = [Members[member].ClientUrl] });

    private void KillOnExit(object? sender, EventArgs e)
    {
        foreach (var member in Members)
        {
            member.Kill();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        foreach (var member in Members)
        {
            if (member.IsRunning)
            {
                // A paused member ignores nothing but SIGKILL; resume is not needed for that.
                member.Kill();
            }
        }
        clientTls.Dispose();
        addresses.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A member's file still closing; the temp directory is cleaned by the OS eventually.
        }
        return ValueTask.CompletedTask;
    }
}
