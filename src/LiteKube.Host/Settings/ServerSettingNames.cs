namespace LiteKube.Host.Settings;

/// <summary>The settings of <c>litekube server</c>, in the order help lists them. Only settings
/// that change something today are here; ports of later components arrive with them.</summary>
public static class ServerSettingNames
{
    public const string DataDir = "data-dir";
    public const string NodeName = "node-name";
    public const string BindAddress = "bind-address";
    public const string AdvertiseAddress = "advertise-address";
    public const string EtcdPort = "etcd-port";
    public const string ApiPort = "api-port";
    public const string ClusterPort = "cluster-port";
    public const string InitialCluster = "initial-cluster";
    public const string Join = "join";
    public const string Voters = "voters";
    public const string ServiceCidr = "service-cidr";
    public const string TokenAuthFile = "token-auth-file";
    public const string DatastoreEndpoint = "datastore-endpoint";
    public const string DatastoreCaFile = "datastore-cafile";
    public const string DatastoreCertFile = "datastore-certfile";
    public const string DatastoreKeyFile = "datastore-keyfile";
    public const string Token = "token";

    /// <summary>Not a file key: it says which file to read.</summary>
    public const string Config = "config";

    public const string DefaultDataDir = "/var/lib/litekube";
    public const string DefaultConfigFile = "/etc/litekube/config.yaml";
    public const int DefaultEtcdPort = 2379;
    public const int DefaultApiPort = 6443;
    public const int DefaultClusterPort = 25000;
    public const int DefaultVoters = 3;

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new(DataDir, "DIR", $"Where the datastore and node state live (default {DefaultDataDir})."),
        new(NodeName, "NAME", "This node's name (default: the hostname, lower-cased)."),
        new(BindAddress, "IP", "Address every listener binds to (default 0.0.0.0). The etcd API listens on loopback only: here when this is 127.0.0.N, else on 127.0.0.1."),
        new(AdvertiseAddress, "IP", "Address other members reach this node at, as reported by etcd member list (default: the bind address when specific, else the first non-loopback address)."),
        new(EtcdPort, "PORT", $"Port of the etcd v3 API of the embedded datastore (default {DefaultEtcdPort})."),
        new(ApiPort, "PORT", $"HTTPS port of the Kubernetes API on the bind address (default {DefaultApiPort})."),
        new(ClusterPort, "PORT", $"Port of the cluster listener on the bind address: datastore replication between servers (default {DefaultClusterPort})."),
        new(InitialCluster, "MEMBERS", "Start a new replicated datastore with these founding members, e.g. m1=10.0.0.1:25000,m2=10.0.0.2:25000,m3=10.0.0.3:25000; every founder gets the same list and its own --node-name. Read only while the datastore is empty (default: this node alone)."),
        new(Join, "HOST:PORT/TOKEN/CAHASH", "Join the cluster of the server at HOST:PORT on first start, with a token from `litekube add-node` there (later starts reuse the stored credentials; default: none)."),
        new(Voters, "N", $"Datastore voters once the cluster has at least N control-plane nodes: 3 or 5 (one below three nodes; the others are standbys). Give every server the same value (default {DefaultVoters})."),
        new(ServiceCidr, "CIDR", $"IPv4 range of Service ClusterIPs; its first address is the kubernetes Service's (default {Cluster.Networking.ServiceCidr.Default})."),
        new(TokenAuthFile, "PATH", "CSV of static bearer tokens (token,user,uid,\"group1,group2\"), as kube-apiserver's --token-auth-file (default: none)."),
        new(DatastoreEndpoint, "URLS", "Use an external etcd cluster instead of the embedded datastore: comma-separated client URLs, e.g. https://10.0.0.1:2379,https://10.0.0.2:2379 (default: none, embedded)."),
        new(DatastoreCaFile, "PATH", "PEM CA that signs the external etcd members' certificates (default: the system's trust store)."),
        new(DatastoreCertFile, "PATH", "PEM client certificate for the external etcd (with --datastore-keyfile)."),
        new(DatastoreKeyFile, "PATH", "PEM private key of --datastore-certfile."),
        new(Token, "SECRET", $"With --datastore-endpoint: the cluster's secret (at least {ExternalDatastoreSettings.MinimumTokenLength} characters); the first server stores the cluster's keys in the datastore sealed with it, further servers with the same endpoint and secret take them, as K3s's --token (default: none; copy tls/ca.crt, ca.key, service-account.key by hand)."),
    ];

    public static SettingDefinition ConfigFile { get; } =
        new(Config, "PATH", $"YAML file with more settings, keys named like the flags (default {DefaultConfigFile}, read when it exists).");
}
