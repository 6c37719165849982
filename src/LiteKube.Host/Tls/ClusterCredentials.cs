using System.Net;
using System.Security.Cryptography.X509Certificates;
using LiteKube.ApiServer.Security.ServiceAccounts;
using LiteKube.Cluster.Kubeconfig;
using LiteKube.Cluster.Pki;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host.Tls;

/// <summary>The server's keys and certificates under <c>&lt;data-dir&gt;/tls</c>, created on the
/// first start and reused after: the cluster CA (<c>ca.crt</c>, <c>ca.key</c>), the API serving
/// certificate (<c>apiserver.crt/.key</c>), the service-account signing key
/// (<c>service-account.key</c>) and the admin client certificate (<c>client-admin.crt/.key</c>)
/// that the admin kubeconfig (<c>&lt;data-dir&gt;/kubeconfig</c>) embeds, and this node's client
/// certificate (<c>client-node.crt/.key</c>: user system:node:NAME in group system:nodes) that
/// the node agent's kubeconfig (<c>&lt;data-dir&gt;/agent/kubeconfig</c>) embeds, and the
/// cluster-port certificate (<c>cluster-peer.crt/.key</c>) that serves the cluster port and
/// authenticates this server to the others.</summary>
/// <remarks>The CA and the signing key are the cluster's identity: losing them invalidates every
/// kubeconfig and token, so a damaged one stops the start instead of being replaced. The leaf
/// certificates are derived material and are re-issued when they no longer fit (names changed,
/// close to expiry, signed by another CA).</remarks>
internal sealed partial class ClusterCredentials : IDisposable
{
    private ClusterCredentials(CertificateAuthority authority, X509Certificate2 servingCertificate, X509Certificate2 peerCertificate,
        ServiceAccountSigningKey serviceAccountKey, string kubeconfigPath, string agentKubeconfigPath)
    {
        PeerCertificate = peerCertificate;
        AgentKubeconfigPath = agentKubeconfigPath;
        Authority = authority;
        ServingCertificate = servingCertificate;
        ServiceAccountKey = serviceAccountKey;
        KubeconfigPath = kubeconfigPath;
    }

    public CertificateAuthority Authority { get; }

    public X509Certificate2 ServingCertificate { get; }

    /// <summary>This server on the cluster port, both ways (see <see cref="CertificateAuthority.IssuePeer"/>).</summary>
    public X509Certificate2 PeerCertificate { get; }

    public ServiceAccountSigningKey ServiceAccountKey { get; }

    public string KubeconfigPath { get; }

    /// <summary><c>&lt;data-dir&gt;/agent/kubeconfig</c>: the node's own credentials (mode 0600).</summary>
    public string AgentKubeconfigPath { get; }

    public static string Directory(string dataDirectory) => Path.Combine(dataDirectory, "tls");

    public static ClusterCredentials LoadOrCreate(ServerSettings settings, TimeProvider time, ILogger logger)
    {
        var directory = Directory(settings.DataDirectory);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"creating {directory}: {ServerHost.OneLine(e.Message)}; choose a writable --data-dir", e);
        }

        var now = time.GetUtcNow();
        var authority = LoadOrCreateAuthority(directory, now, logger);
        var names = ServingCertificateNames.For([settings.BindAddress, settings.AdvertiseAddress], Dns.GetHostName(), settings.ServiceCidr.FirstServiceAddress);
        var serving = LoadOrIssue(directory, "apiserver", authority, now, logger,
            existing => ServingCertificateNames.ReissueReason(existing, names, now),
            () => authority.IssueServer("kube-apiserver", names.DnsNames, names.Addresses, now));
        var admin = LoadOrIssue(directory, "client-admin", authority, now, logger,
            existing => CertificateOwner.NodeOf(existing) != settings.NodeName
                ? $"it does not name this node ({settings.NodeName}) as its owner"
                : now.Add(ServingCertificateNames.RenewBefore) >= existing.NotAfter ? $"it expires at {existing.NotAfter:u}" : null,
            () => authority.IssueClient("admin", ["system:masters"], now, owner: settings.NodeName));
        var nodeUser = $"system:node:{settings.NodeName}";
        var node = LoadOrIssue(directory, "client-node", authority, now, logger,
            existing => existing.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != nodeUser
                ? $"the node name is now {settings.NodeName}"
                : now.Add(ServingCertificateNames.RenewBefore) >= existing.NotAfter ? $"it expires at {existing.NotAfter:u}" : null,
            () => authority.IssueClient(nodeUser, ["system:nodes"], now));
        var peer = LoadOrIssue(directory, "cluster-peer", authority, now, logger,
            existing => existing.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != settings.NodeName
                ? $"the node name is now {settings.NodeName}"
                : ServingCertificateNames.ReissueReason(existing, names, now),
            () => authority.IssuePeer(settings.NodeName, names.DnsNames, names.Addresses, now));
        var serviceAccountKey = LoadOrCreateServiceAccountKey(Path.Combine(directory, "service-account.key"));

        var kubeconfig = Path.Combine(settings.DataDirectory, "kubeconfig");
        var server = KubeconfigServer.For(settings.BindAddress, settings.ApiPort);
        TlsFiles.Write(kubeconfig, KubeconfigDocument.Render(server.GetLeftPart(UriPartial.Authority), authority.CertificatePem, admin.CertificatePem, admin.KeyPem), secret: true);
        var agentKubeconfig = Path.Combine(settings.DataDirectory, "agent", "kubeconfig");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(agentKubeconfig)!);
        TlsFiles.Write(agentKubeconfig, KubeconfigDocument.Render(server.GetLeftPart(UriPartial.Authority), authority.CertificatePem, node.CertificatePem, node.KeyPem, userName: "node"), secret: true);
        return new ClusterCredentials(authority, serving.ToX509(), peer.ToX509(), serviceAccountKey, kubeconfig, agentKubeconfig);
    }

    private static CertificateAuthority LoadOrCreateAuthority(string directory, DateTimeOffset now, ILogger logger)
    {
        var certificatePath = Path.Combine(directory, "ca.crt");
        var keyPath = Path.Combine(directory, "ca.key");
        var certificatePem = TlsFiles.ReadIfExists(certificatePath);
        var keyPem = TlsFiles.ReadIfExists(keyPath);
        const string remedy = "restore it from a backup, or move the tls directory aside to create a new cluster CA (existing kubeconfigs and tokens stop working)";
        if (certificatePem is null && keyPem is null)
        {
            var created = CertificateAuthority.Create("litekube-ca", now);
            // Key first: a crash before the certificate is written is reported, never half-trusted.
            TlsFiles.Write(keyPath, created.KeyPem, secret: true);
            TlsFiles.Write(certificatePath, created.CertificatePem, secret: false);
            LogCreatedAuthority(logger, directory);
            return created;
        }
        if (certificatePem is null || keyPem is null)
        {
            var missing = certificatePem is null ? certificatePath : keyPath;
            throw new ServerStartupException($"{missing} is missing but its pair is present; {remedy}");
        }
        TlsFiles.LoadPair(certificatePath, certificatePem, keyPath, keyPem, remedy).Dispose();
        return CertificateAuthority.FromPem(certificatePem, keyPem);
    }

    private static IssuedCertificate LoadOrIssue(string directory, string name, CertificateAuthority authority, DateTimeOffset now, ILogger logger,
        Func<X509Certificate2, string?> reissueReason, Func<IssuedCertificate> issue)
    {
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        var certificatePem = TlsFiles.ReadIfExists(certificatePath);
        var keyPem = TlsFiles.ReadIfExists(keyPath);
        string? reason = "there is none";
        if (certificatePem is not null && keyPem is not null)
        {
            var remedy = $"delete {certificatePath} and {keyPath} to have new ones issued";
            using var existing = TlsFiles.LoadPair(certificatePath, certificatePem, keyPath, keyPem, remedy);
            reason = authority.Signed(existing, now) ? reissueReason(existing) : "it is not signed by the cluster CA";
            if (reason is null)
            {
                return new IssuedCertificate(certificatePem, keyPem);
            }
        }
        var issued = issue();
        TlsFiles.Write(keyPath, issued.KeyPem, secret: true);
        TlsFiles.Write(certificatePath, issued.CertificatePem, secret: false);
        LogIssued(logger, certificatePath, reason);
        return issued;
    }

    private static ServiceAccountSigningKey LoadOrCreateServiceAccountKey(string path)
    {
        const string remedy = "restore it from a backup, or delete it to create a new key (issued service-account tokens stop working)";
        try
        {
            return TlsFiles.Parse(path, remedy, () => ServiceAccountSigningKey.LoadOrCreate(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"reading {path}: {ServerHost.OneLine(e.Message)}; {remedy}", e);
        }
    }

    public void Dispose()
    {
        Authority.Dispose();
        ServingCertificate.Dispose();
        PeerCertificate.Dispose();
        ServiceAccountKey.Dispose();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "created the cluster CA in {Directory}")]
    private static partial void LogCreatedAuthority(ILogger logger, string directory);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "issued {Certificate}: {Reason}")]
    private static partial void LogIssued(ILogger logger, string certificate, string reason);
}
