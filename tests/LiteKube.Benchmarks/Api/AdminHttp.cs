using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace LiteKube.Benchmarks.Api;

/// <summary>HTTPS clients of the API server that present the admin client certificate the server
/// wrote under <c>&lt;data-dir&gt;/tls</c> and trust only its cluster CA, as kubectl does.</summary>
public sealed class AdminHttp : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _client;

    public AdminHttp(string tlsDirectory, Uri server)
    {
        _ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(tlsDirectory, "ca.crt")));
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(tlsDirectory, "client-admin.crt"), Path.Combine(tlsDirectory, "client-admin.key"));
        // Re-import: SslStream wants a certificate whose private key it can use directly.
        _client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        Server = server;
    }

    public Uri Server { get; }

    /// <summary>A client over its own connection pool: <paramref name="maxConnections"/> HTTP/1.1
    /// connections at most, no timeout (watches stay open; callers pass their own deadlines).</summary>
    public HttpClient Create(int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [_client],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && SignedByCa(certificate),
            },
        };
        return new HttpClient(handler) { BaseAddress = Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    private bool SignedByCa(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _client.Dispose();
    }
}
