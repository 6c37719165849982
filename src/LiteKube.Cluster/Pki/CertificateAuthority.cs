using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LiteKube.Cluster.Pki;

/// <summary>
/// The cluster CA: an ECDSA P-256 key and a self-signed certificate valid for 10 years, which
/// signs every serving and client certificate of the cluster. A joining node pins the CA by
/// <see cref="PinHash"/> (the SHA-256 of its public key info), not a server's certificate, so
/// any server of the cluster can answer a join and certificates can be renewed freely.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);
    public static readonly TimeSpan LeafValidity = TimeSpan.FromDays(365);

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Certificate { get; }

    private ECDsa Key { get; }

    /// <summary>SHA-256 of the CA's SubjectPublicKeyInfo, lower-case hex.</summary>
    public string PinHash => ComputePinHash(Certificate);

    public static string ComputePinHash(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public static CertificateAuthority Create(string commonName, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaValidity));
        return new CertificateAuthority(certificate, key);
    }

    public static CertificateAuthority FromPem(string certificatePem, string keyPem)
    {
        var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        return new CertificateAuthority(certificate, key);
    }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public string KeyPem => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>A TLS serving certificate for the given names and addresses.</summary>
    public IssuedCertificate IssueServer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now) =>
        Issue($"CN={commonName}", AlternativeNames(dnsNames, addresses), serverAuth: true, clientAuth: false, now);

    /// <summary>The group a cluster-port certificate names: servers of the cluster.</summary>
    public const string PeerGroup = "litekube:cluster-peers";

    /// <summary>A server's certificate on the cluster port, used both ways of mutual TLS: it
    /// serves the port and authenticates the server when it dials another (Raft traffic and
    /// membership calls). CN = the node name, O = <see cref="PeerGroup"/>.</summary>
    public IssuedCertificate IssuePeer(string nodeName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName(PeerGroup);
        subject.AddCommonName(nodeName);
        return Issue(subject.Build().Name, AlternativeNames(dnsNames, addresses), serverAuth: true, clientAuth: true, now);
    }

    /// <summary>A client certificate: Kubernetes reads the user from CN and groups from O.
    /// <paramref name="owner"/> names the node it is issued on, so that removing that node
    /// revokes it (<see cref="CertificateOwner"/>).</summary>
    public IssuedCertificate IssueClient(string user, IEnumerable<string> groups, DateTimeOffset now, string? owner = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            subject.AddOrganizationName(group);
        }

        if (owner is not null)
        {
            subject.AddOrganizationalUnitName(CertificateOwner.OrganizationalUnitPrefix + owner);
        }

        subject.AddCommonName(user);
        return Issue(subject.Build().Name, null, serverAuth: false, clientAuth: true, now);
    }

    private static X509Extension AlternativeNames(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(dns);
        }

        foreach (var address in addresses.Distinct())
        {
            names.AddIpAddress(address);
        }
        return names.Build();
    }

    private IssuedCertificate Issue(string subject, X509Extension? alternativeNames, bool serverAuth, bool clientAuth, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        if (serverAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        if (clientAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = now.Add(LeafValidity) < Certificate.NotAfter ? now.Add(LeafValidity) : new DateTimeOffset(Certificate.NotAfter);
        using var signed = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(Key), now.AddMinutes(-5), notAfter, serial);
        return new IssuedCertificate(signed.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>True when <paramref name="certificate"/> was signed by this CA and is valid now.</summary>
    public bool Signed(X509Certificate2 certificate, DateTimeOffset now) =>
        now >= certificate.NotBefore && now <= certificate.NotAfter && Chains(Certificate, certificate, now);

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="root"/> alone,
    /// whatever the machine's trust store says.</summary>
    public static bool Chains(X509Certificate2 root, X509Certificate2 certificate, DateTimeOffset? at = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (at is { } time)
        {
            chain.ChainPolicy.VerificationTime = time.UtcDateTime;
        }

        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}

/// <summary>A certificate and its private key, PEM-encoded.</summary>
public sealed record IssuedCertificate(string CertificatePem, string KeyPem)
{
    public X509Certificate2 ToX509() => X509Certificate2.CreateFromPem(CertificatePem, KeyPem);
}
