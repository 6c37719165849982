using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace LiteKube.Cluster.Pki;

/// <summary>The names the API server's serving certificate must carry, and whether an existing
/// certificate still fits. Pure: the host reads and writes the files.</summary>
/// <remarks>Pods reach the API as <c>kubernetes.default.svc</c> or by the first service IP;
/// people and agents by a node address, <c>localhost</c> or the hostname. A certificate that
/// lacks one of them makes some client fail TLS verification, so it is re-issued.</remarks>
public static class ServingCertificateNames
{
    /// <summary>The in-cluster names of the <c>kubernetes</c> Service, as upstream's apiserver lists them.</summary>
    public static IReadOnlyList<string> KubernetesServiceNames { get; } =
        ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];

    /// <summary>Renew a certificate that expires within this window, so that a server that
    /// restarts now and then never serves an expired one.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>Every name for a node reachable at <paramref name="nodeAddresses"/> (unspecified
    /// addresses such as 0.0.0.0 are skipped: no client connects to them).</summary>
    public static ServingNames For(IEnumerable<IPAddress> nodeAddresses, string hostname, IPAddress firstServiceAddress)
    {
        var dns = new List<string> { "localhost" };
        if (hostname.Length > 0)
        {
            dns.Add(hostname.ToLowerInvariant());
        }
        dns.AddRange(KubernetesServiceNames);
        var addresses = new List<IPAddress> { IPAddress.Loopback };
        addresses.AddRange(nodeAddresses.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)));
        addresses.Add(firstServiceAddress);
        return new ServingNames(
            dns.Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
            addresses.Distinct().ToArray());
    }

    /// <summary>Why <paramref name="certificate"/> must be re-issued for <paramref name="required"/>
    /// at <paramref name="now"/>, or null when it can be kept.</summary>
    public static string? ReissueReason(X509Certificate2 certificate, ServingNames required, DateTimeOffset now)
    {
        if (now.Add(RenewBefore) >= certificate.NotAfter || now < certificate.NotBefore)
        {
            return $"it is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u}";
        }
        var present = Present(certificate);
        var missing = required.DnsNames.Where(n => !present.DnsNames.Contains(n, StringComparer.OrdinalIgnoreCase))
            .Concat(required.Addresses.Where(a => !present.Addresses.Contains(a)).Select(a => a.ToString()))
            .ToArray();
        return missing.Length == 0 ? null : $"it does not name {string.Join(", ", missing)}";
    }

    /// <summary>The subject alternative names <paramref name="certificate"/> carries.</summary>
    public static ServingNames Present(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null
            ? new ServingNames([], [])
            : new ServingNames(extension.EnumerateDnsNames().ToArray(), extension.EnumerateIPAddresses().ToArray());
    }
}

/// <summary>Subject alternative names of a serving certificate.</summary>
public sealed record ServingNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses);
