using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using LiteKube.Cluster.Membership;
using LiteKube.Cluster.Networking;
using LiteKube.Datastore.External;

namespace LiteKube.Host.Settings;

/// <summary>Builds <see cref="ServerSettings"/> from three sources, highest precedence first:
/// flags, <c>LITEKUBE_*</c> environment variables, the YAML config file. Every value is
/// validated the same way whatever its source, and an error names the source.</summary>
public static partial class ServerSettingsLoader
{
    /// <param name="flags">Flags that were given, by setting name (<c>data-dir</c>, ...,
    /// <c>config</c>); absent flags are not in the map.</param>
    /// <param name="environment">The process environment (only <c>LITEKUBE_*</c> is read; an
    /// empty variable counts as unset, as shells make unsetting awkward).</param>
    public static ServerSettings Load(IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string> environment)
    {
        var raw = new Dictionary<string, RawValue>(StringComparer.Ordinal);
        var configPath = ResolveConfigFile(flags, environment);
        if (configPath is not null)
        {
            var names = ServerSettingNames.All.Select(d => d.Name).ToArray();
            foreach (var (name, value) in ConfigFileReader.Read(configPath, names))
            {
                raw[name] = new RawValue(value, $"config file {configPath}: {name}");
            }
        }
        foreach (var definition in ServerSettingNames.All)
        {
            if (environment.TryGetValue(definition.EnvironmentVariable, out var value) && value.Length > 0)
            {
                raw[definition.Name] = new RawValue(value, definition.EnvironmentVariable);
            }
            if (flags.TryGetValue(definition.Name, out var flag))
            {
                raw[definition.Name] = new RawValue(flag, definition.Flag);
            }
        }
        return Build(raw);
    }

    private static string? ResolveConfigFile(IReadOnlyDictionary<string, string> flags, IReadOnlyDictionary<string, string> environment)
    {
        var definition = ServerSettingNames.ConfigFile;
        string? explicitPath = null;
        string? origin = null;
        if (flags.TryGetValue(definition.Name, out var flag))
        {
            (explicitPath, origin) = (flag, definition.Flag);
        }
        else if (environment.TryGetValue(definition.EnvironmentVariable, out var env) && env.Length > 0)
        {
            (explicitPath, origin) = (env, definition.EnvironmentVariable);
        }

        if (explicitPath is null)
        {
            // The default file is optional: most machines never need one.
            return File.Exists(ServerSettingNames.DefaultConfigFile) ? ServerSettingNames.DefaultConfigFile : null;
        }
        if (explicitPath.Length == 0)
        {
            throw new SettingsException($"{origin}: must not be empty");
        }
        var path = Path.GetFullPath(explicitPath);
        if (Directory.Exists(path))
        {
            throw new SettingsException($"{origin}: {path} is a directory; give the path of a YAML file");
        }
        if (!File.Exists(path))
        {
            throw new SettingsException($"{origin}: config file {path} does not exist; create it or leave {definition.Flag} out");
        }
        return path;
    }

    private static ServerSettings Build(Dictionary<string, RawValue> raw)
    {
        var dataDirectory = ParseDataDirectory(raw.GetValueOrDefault(ServerSettingNames.DataDir));
        var nodeName = ParseNodeName(raw.GetValueOrDefault(ServerSettingNames.NodeName));
        var bindAddress = ParseAddress(raw.GetValueOrDefault(ServerSettingNames.BindAddress)) ?? IPAddress.Any;
        var advertise = ParseAddress(raw.GetValueOrDefault(ServerSettingNames.AdvertiseAddress), rejectUnspecified: true)
            ?? DefaultAdvertiseAddress(bindAddress);
        var etcdPort = ParsePort(raw.GetValueOrDefault(ServerSettingNames.EtcdPort)) ?? ServerSettingNames.DefaultEtcdPort;
        var apiPortValue = raw.GetValueOrDefault(ServerSettingNames.ApiPort);
        var apiPort = ParsePort(apiPortValue) ?? ServerSettingNames.DefaultApiPort;
        if (apiPort == etcdPort)
        {
            throw new SettingsException($"{apiPortValue?.Origin ?? "--api-port"}: {apiPort} is also the etcd port; choose different ports for the Kubernetes API and the etcd API");
        }
        var clusterPortValue = raw.GetValueOrDefault(ServerSettingNames.ClusterPort);
        var clusterPort = ParsePort(clusterPortValue) ?? ServerSettingNames.DefaultClusterPort;
        if (clusterPort == apiPort || clusterPort == etcdPort)
        {
            throw new SettingsException($"{clusterPortValue?.Origin ?? "--cluster-port"}: {clusterPort} is also the {(clusterPort == apiPort ? "Kubernetes API" : "etcd")} port; choose different ports");
        }
        var external = ParseExternalDatastore(raw);
        var initialCluster = ParseInitialCluster(raw.GetValueOrDefault(ServerSettingNames.InitialCluster), nodeName, $"{advertise}:{clusterPort}", external is not null);
        var join = ParseJoin(raw.GetValueOrDefault(ServerSettingNames.Join), initialCluster is not null, external is not null);
        return new ServerSettings
        {
            Join = join,
            Voters = ParseVoters(raw.GetValueOrDefault(ServerSettingNames.Voters)),
            DataDirectory = dataDirectory,
            NodeName = nodeName,
            BindAddress = bindAddress,
            AdvertiseAddress = advertise,
            EtcdPort = etcdPort,
            ApiPort = apiPort,
            ClusterPort = clusterPort,
            InitialCluster = initialCluster,
            ServiceCidr = ParseServiceCidr(raw.GetValueOrDefault(ServerSettingNames.ServiceCidr)),
            TokenAuthFile = ParseExistingFile(raw.GetValueOrDefault(ServerSettingNames.TokenAuthFile)),
            ExternalDatastore = external,
        };
    }

    private static ExternalDatastoreSettings? ParseExternalDatastore(Dictionary<string, RawValue> raw)
    {
        var endpoint = raw.GetValueOrDefault(ServerSettingNames.DatastoreEndpoint);
        var ca = raw.GetValueOrDefault(ServerSettingNames.DatastoreCaFile);
        var cert = raw.GetValueOrDefault(ServerSettingNames.DatastoreCertFile);
        var key = raw.GetValueOrDefault(ServerSettingNames.DatastoreKeyFile);
        var token = raw.GetValueOrDefault(ServerSettingNames.Token);
        if (endpoint is null)
        {
            var stray = ca ?? cert ?? key ?? token;
            return stray is null ? null : throw new SettingsException(
                $"{stray.Origin}: only applies with --datastore-endpoint (an external etcd); set that too or leave this out");
        }
        if ((cert is null) != (key is null))
        {
            var given = cert ?? key!;
            throw new SettingsException($"{given.Origin}: --datastore-certfile and --datastore-keyfile go together; give both or neither");
        }

        IReadOnlyList<Uri> endpoints;
        try
        {
            endpoints = EtcdEndpoints.Parse(endpoint.Text);
        }
        catch (ExternalStoreSetupException e)
        {
            throw new SettingsException($"{endpoint.Origin}: {e.Message}");
        }
        var tls = ca ?? cert;
        if (tls is not null && endpoints[0].Scheme != Uri.UriSchemeHttps)
        {
            throw new SettingsException($"{tls.Origin}: TLS files need https:// datastore endpoints, but {endpoint.Origin} is '{endpoint.Text}'");
        }
        if (token is not null && (token.Text.Length < ExternalDatastoreSettings.MinimumTokenLength || token.Text.Any(char.IsWhiteSpace)))
        {
            throw new SettingsException(
                $"{token.Origin}: the cluster secret must be at least {ExternalDatastoreSettings.MinimumTokenLength} characters without spaces (e.g. from `openssl rand -hex 16`); it protects the cluster's keys in the datastore");
        }
        return new ExternalDatastoreSettings(endpoints, ParseExistingFile(ca), ParseExistingFile(cert), ParseExistingFile(key)) { Token = token?.Text };
    }

    private static JoinString? ParseJoin(RawValue? value, bool initialCluster, bool external)
    {
        if (value is null)
        {
            return null;
        }

        if (initialCluster || external)
        {
            throw new SettingsException($"{value.Origin}: joins an existing cluster, which --{(initialCluster ? ServerSettingNames.InitialCluster : ServerSettingNames.DatastoreEndpoint)} does not go with; leave one of them out");
        }

        try
        {
            return JoinString.Parse(value.Text);
        }
        catch (FormatException e)
        {
            throw new SettingsException($"{value.Origin}: {e.Message}");
        }
    }

    private static InitialCluster? ParseInitialCluster(RawValue? value, string nodeName, string ownPeerAddress, bool external)
    {
        if (value is null)
        {
            return null;
        }
        if (external)
        {
            throw new SettingsException($"{value.Origin}: bootstraps the embedded datastore, which does not run with --datastore-endpoint; leave one of them out");
        }

        InitialCluster cluster;
        try
        {
            cluster = InitialCluster.Parse(value.Text);
        }
        catch (FormatException e)
        {
            throw new SettingsException($"{value.Origin}: {e.Message}");
        }

        var self = cluster.Find(nodeName) ?? throw new SettingsException(
            $"{value.Origin}: no member is named {nodeName} (this node's --node-name); list every founding member, this one included");
        if (self.PeerAddress != ownPeerAddress)
        {
            throw new SettingsException(
                $"{value.Origin}: member {nodeName} is at {self.PeerAddress}, but this node is reached at {ownPeerAddress} (--advertise-address and --cluster-port); make them agree");
        }
        return cluster;
    }

    private static string ParseDataDirectory(RawValue? value)
    {
        if (value is null)
        {
            return ServerSettingNames.DefaultDataDir;
        }
        if (value.Text.Length == 0 || value.Text.Contains('\0'))
        {
            throw new SettingsException($"{value.Origin}: must be a directory path");
        }
        return Path.GetFullPath(value.Text);
    }

    private static string ParseNodeName(RawValue? value)
    {
        if (value is null)
        {
            // Kubernetes node names are lower-case DNS names; hostnames often are not.
            var host = Dns.GetHostName().ToLowerInvariant();
            return NodeNamePattern().IsMatch(host) ? host : throw new SettingsException(
                $"the hostname '{host}' is not a valid node name; set --node-name (lower-case letters, digits, '-' and '.')");
        }
        if (!IsValidNodeName(value.Text))
        {
            throw new SettingsException($"{value.Origin}: '{value.Text}' is not a valid node name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)");
        }
        return value.Text;
    }

    private static IPAddress? ParseAddress(RawValue? value, bool rejectUnspecified = false)
    {
        if (value is null)
        {
            return null;
        }
        if (!IPAddress.TryParse(value.Text, out var address) || value.Text.Contains('/'))
        {
            throw new SettingsException($"{value.Origin}: '{value.Text}' is not an IP address (for example 192.168.1.10 or 127.0.0.2)");
        }
        if (rejectUnspecified && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            throw new SettingsException($"{value.Origin}: '{value.Text}' cannot be advertised; give an address other nodes can reach");
        }
        return address;
    }

    private static int? ParsePort(RawValue? value)
    {
        if (value is null)
        {
            return null;
        }
        if (!int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new SettingsException($"{value.Origin}: '{value.Text}' is not a port number (1-65535)");
        }
        return port;
    }

    private static int ParseVoters(RawValue? value)
    {
        if (value is null)
        {
            return ServerSettingNames.DefaultVoters;
        }

        // Odd, so that a quorum never ties; more than 5 only slows every write.
        return int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var voters) && voters is 3 or 5
            ? voters
            : throw new SettingsException($"{value.Origin}: '{value.Text}' is not a number of datastore voters; use 3 or 5");
    }

    private static ServiceCidr ParseServiceCidr(RawValue? value)
    {
        try
        {
            return ServiceCidr.Parse(value?.Text ?? ServiceCidr.Default);
        }
        catch (FormatException e)
        {
            throw new SettingsException($"{value?.Origin}: {e.Message}");
        }
    }

    private static string? ParseExistingFile(RawValue? value)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Text.Length == 0 || value.Text.Contains('\0'))
        {
            throw new SettingsException($"{value.Origin}: must be a file path");
        }
        var path = Path.GetFullPath(value.Text);
        if (!File.Exists(path))
        {
            throw new SettingsException($"{value.Origin}: {path} does not exist; create it or leave the setting out");
        }
        return path;
    }

    /// <summary>The bind address when it is specific; otherwise the first non-loopback IPv4
    /// address of an interface that is up (loopback when the machine has none).</summary>
    private static IPAddress DefaultAdvertiseAddress(IPAddress bindAddress)
    {
        if (!bindAddress.Equals(IPAddress.Any) && !bindAddress.Equals(IPAddress.IPv6Any))
        {
            return bindAddress;
        }
        return LocalAddresses.NonLoopback().FirstOrDefault() ?? IPAddress.Loopback;
    }

    /// <summary>A Kubernetes node name: a lower-case DNS-1123 subdomain.</summary>
    internal static bool IsValidNodeName(string name) => name.Length <= 253 && NodeNamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NodeNamePattern();

    private sealed record RawValue(string Text, string Origin);
}
