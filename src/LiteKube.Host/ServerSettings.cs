using System.Net;
using LiteKube.Cluster.Membership;
using LiteKube.Cluster.Networking;
using LiteKube.Host.Settings;

namespace LiteKube.Host;

/// <summary>Everything one <see cref="ServerHost"/> needs, already validated. Tests build it
/// directly (one data dir and one loopback address per node); the CLI builds it with
/// <see cref="ServerSettingsLoader"/> from flags, environment and config file.</summary>
public sealed record ServerSettings
{
    /// <summary>Absolute path; the datastore lives in its <c>db/</c> subdirectory.</summary>
    public required string DataDirectory { get; init; }

    public required string NodeName { get; init; }

    public required IPAddress BindAddress { get; init; }

    public required IPAddress AdvertiseAddress { get; init; }

    public int EtcdPort { get; init; } = ServerSettingNames.DefaultEtcdPort;

    /// <summary>HTTPS port of the Kubernetes API on <see cref="BindAddress"/>.</summary>
    public int ApiPort { get; init; } = ServerSettingNames.DefaultApiPort;

    /// <summary>Port of the cluster listener (Raft between servers) on <see cref="BindAddress"/>.</summary>
    public int ClusterPort { get; init; } = ServerSettingNames.DefaultClusterPort;

    /// <summary>The founding members of a new replicated datastore, or null for this node alone.</summary>
    public InitialCluster? InitialCluster { get; init; }

    /// <summary>How many datastore voters a cluster of that many control-plane nodes or more has (3 or 5).</summary>
    public int Voters { get; init; } = ServerSettingNames.DefaultVoters;

    /// <summary>The cluster to join on first start (<c>--join</c>), or null.</summary>
    public JoinString? Join { get; init; }

    /// <summary>"host:port" other servers reach this one's cluster listener at.</summary>
    public string PeerAddress => $"{AdvertiseAddress}:{ClusterPort}";

    /// <summary>Where ClusterIPs come from; its first address is the <c>kubernetes</c> Service's.</summary>
    public ServiceCidr ServiceCidr { get; init; } = ServiceCidr.Parse(ServiceCidr.Default);

    /// <summary>Absolute path of upstream's static token CSV, or null for none.</summary>
    public string? TokenAuthFile { get; init; }

    /// <summary>An external etcd cluster to use instead of the embedded datastore (K3s'
    /// <c>--datastore-endpoint</c>); null = embedded. With one, no embedded store or etcd API runs.</summary>
    public ExternalDatastoreSettings? ExternalDatastore { get; init; }

    /// <summary>The etcd API is an unauthenticated plaintext endpoint, so it never leaves the
    /// machine: it listens on the bind address only when that is itself a loopback address
    /// (how tests give every node its own 127.0.0.N), otherwise on 127.0.0.1.</summary>
    public IPAddress EtcdListenAddress => IPAddress.IsLoopback(BindAddress) ? BindAddress : IPAddress.Loopback;

    public string DatastoreDirectory => Path.Combine(DataDirectory, "db");

    /// <summary>Where the data lives, for messages: the embedded directory or the etcd URLs.</summary>
    public string DatastoreDescription => ExternalDatastore is { } external
        ? $"external etcd {string.Join(',', external.Endpoints.Select(e => e.ToString().TrimEnd('/')))}"
        : DatastoreDirectory;

    /// <summary>Settings for a node on <paramref name="bindAddress"/> (advertised as itself) with
    /// every other setting at its default.</summary>
    public static ServerSettings Create(string dataDirectory, IPAddress bindAddress, string nodeName) => new()
    {
        DataDirectory = Path.GetFullPath(dataDirectory),
        NodeName = nodeName,
        BindAddress = bindAddress,
        AdvertiseAddress = bindAddress,
    };
}

/// <summary>The validated <c>--datastore-*</c> settings; files are absolute paths that existed
/// when the settings were loaded.</summary>
public sealed record ExternalDatastoreSettings(IReadOnlyList<Uri> Endpoints, string? CaFile, string? CertFile, string? KeyFile)
{
    /// <summary>A shorter secret would not protect the keys sealed with it against guessing.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>The secret the cluster's keys are sealed with in the datastore (<c>--token</c>).</summary>
    public string? Token { get; init; }
}
