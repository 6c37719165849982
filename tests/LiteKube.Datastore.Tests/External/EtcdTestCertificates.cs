using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Pki;

namespace LiteKube.Datastore.Tests.External;

/// <summary>
/// PEM files for a test etcd cluster, all signed by one <see cref="CertificateAuthority"/>:
/// the CA, one certificate per member (serving clients and peers, and presented to peers as a
/// client, so it carries both TLS usages) and a client certificate for the store under test.
/// </summary>
public sealed class EtcdTestCertificates
{
    private EtcdTestCertificates(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string ClientCertFile => Path.Combine(Directory, "client.crt");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    public string MemberCertFile(string member) => Path.Combine(Directory, $"{member}.crt");

    public string MemberKeyFile(string member) => Path.Combine(Directory, $"{member}.key");

    /// <summary>Writes a fresh CA and every certificate into <paramref name="directory"/>.</summary>
    public static EtcdTestCertificates Create(string directory, IEnumerable<(string Name, IPAddress Address)> members)
    {
        System.IO.Directory.CreateDirectory(directory);
        var files = new EtcdTestCertificates(directory);
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("litekube-test-etcd-ca", now);
        File.WriteAllText(files.CaFile, ca.CertificatePem);
        var client = ca.IssueClient("litekube-test", [], now);
        File.WriteAllText(files.ClientCertFile, client.CertificatePem);
        File.WriteAllText(files.ClientKeyFile, client.KeyPem);
        foreach (var (name, address) in members)
        {
            var (certificate, key) = IssueMember(ca, name, address, now);
            File.WriteAllText(files.MemberCertFile(name), certificate);
            File.WriteAllText(files.MemberKeyFile(name), key);
        }
        return files;
    }

    /// <summary>CertificateAuthority issues server-only or client-only leaves; an etcd member
    /// presents one peer certificate in both roles, so it is signed here with the CA's key.</summary>
    private static (string Certificate, string Key) IssueMember(CertificateAuthority ca, string name, IPAddress address, DateTimeOffset now)
    {
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(ca.KeyPem);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            now.AddMinutes(-5), now.AddDays(30), serial);
        return (signed.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
