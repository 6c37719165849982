using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Membership;
using LiteKube.Host.Settings;
using LiteKube.Host.Tls;

namespace LiteKube.Host.Membership;

/// <summary>How the verbs reach the server of this machine: the address it wrote into
/// <c>server.json</c>, as the administrator (the admin client certificate under tls/), trusting
/// only the cluster CA. Reading those files needs the rights the data dir was made with (root).</summary>
public static class LocalServerClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A client for the local server and its cluster address; a
    /// <see cref="SettingsException"/> says why there is none.</summary>
    public static (ClusterApiClient Client, string Address) Connect(string dataDirectory)
    {
        var tls = ClusterCredentials.Directory(dataDirectory);
        var address = LocalServerFile.ReadClusterAddress(dataDirectory);
        var caPem = TlsFiles.ReadIfExists(Path.Combine(tls, "ca.crt"));
        var certificatePem = TlsFiles.ReadIfExists(Path.Combine(tls, "client-admin.crt"));
        var keyPem = TlsFiles.ReadIfExists(Path.Combine(tls, "client-admin.key"));
        if (address is null || caPem is null || certificatePem is null || keyPem is null)
        {
            throw new SettingsException($"no litekube server is running with data dir {dataDirectory} (start it with `litekube server`, or give --data-dir)");
        }

        var authority = X509Certificate2.CreateFromPem(caPem);
        var admin = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        var options = ClusterApiClient.TrustOnly(authority, admin);
        return (new ClusterApiClient(options, Timeout), address);
    }
}
