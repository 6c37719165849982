using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LiteKube.Datastore.External;

/// <summary>
/// The TLS side of an etcd client: the CA that must sign every member's serving certificate
/// and the client certificate presented to members that require one. Loaded once, up front,
/// so that a missing or malformed file is a startup error rather than a failed request.
/// </summary>
public sealed class EtcdClientTls : IDisposable
{
    private readonly X509Certificate2Collection? roots;

    private EtcdClientTls(X509Certificate2Collection? roots, X509Certificate2? clientCertificate)
    {
        this.roots = roots;
        ClientCertificate = clientCertificate;
    }

    public X509Certificate2? ClientCertificate { get; }

    /// <exception cref="ExternalStoreSetupException">A file is missing, unreadable or not PEM,
    /// or only one of certfile and keyfile is given.</exception>
    public static EtcdClientTls Load(string? caFile, string? certFile, string? keyFile)
    {
        if ((certFile is null) != (keyFile is null))
        {
            throw new ExternalStoreSetupException("datastore certfile and keyfile go together: give both or neither");
        }

        X509Certificate2Collection? roots = null;
        if (caFile is not null)
        {
            roots = [];
            Read("cafile", caFile, () => roots.ImportFromPemFile(caFile));
            if (roots.Count == 0)
            {
                throw new ExternalStoreSetupException($"datastore cafile {caFile}: no PEM certificate in it");
            }
        }

        X509Certificate2? client = null;
        if (certFile is not null)
        {
            Read("certfile/keyfile", certFile, () => client = X509Certificate2.CreateFromPemFile(certFile, keyFile));
        }

        return new EtcdClientTls(roots, client);
    }

    private static void Read(string setting, string path, Action read)
    {
        if (!File.Exists(path))
        {
            throw new ExternalStoreSetupException($"datastore {setting}: {path} does not exist");
        }

        try
        {
            read();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ExternalStoreSetupException($"datastore {setting}: cannot read {path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Accepts a member's certificate when it names the host dialled and chains to the
    /// configured CA (or, without one, to the system's trust store).</summary>
    public bool ValidateServer(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (roots is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates the member sent along.
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return custom.Build(certificate);
    }

    public void Dispose()
    {
        ClientCertificate?.Dispose();
        if (roots is not null)
        {
            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
    }
}
