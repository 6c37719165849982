using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Pki;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LiteKube.Cluster.Membership;

/// <summary>A refused or failed call to the cluster API, with the one-line reason to print.</summary>
public sealed class ClusterApiException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The answer's HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// Calls the cluster API of a server at "host:port" over TLS as <see cref="Tls"/> says (which
/// certificate to present, which CA to trust). Follows "ask the leader" answers (421) a few
/// times, so callers may start at any server.
/// </summary>
public sealed class ClusterApiClient(SslClientAuthenticationOptions tls, TimeSpan timeout) : IDisposable
{
    private const int MaxRedirects = 3;

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        SslOptions = tls,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = timeout,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public SslClientAuthenticationOptions Tls { get; } = tls;

    /// <summary>TLS that trusts only <paramref name="authority"/> (host names unchecked: the CA
    /// pins the cluster) and presents <paramref name="clientCertificate"/> when given.</summary>
    public static SslClientAuthenticationOptions TrustOnly(X509Certificate2 authority, X509Certificate2? clientCertificate = null) => new()
    {
        ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 presented && CertificateAuthority.Chains(authority, presented),
    };

    /// <summary>The PEM the server at <paramref name="address"/> presents as its cluster CA,
    /// fetched WITHOUT verifying the server: the caller must check it against a pin before
    /// trusting anything else from there (kubeadm's discovery does the same).</summary>
    public static async Task<string> FetchAuthorityUnverifiedAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new ClusterApiClient(new SslClientAuthenticationOptions
        {
            // Verified by the caller's pin, not here: there is nothing to verify against yet.
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout);
        using var response = await client.SendAsync(address, () => new HttpRequestMessage(HttpMethod.Get, ClusterApiPaths.Authority), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> GetAsync<T>(string address, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(address, () => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TResponse> PostAsync<TRequest, TResponse>(string address, string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(address, () => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, requestType) },
            cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends, following 421 answers to the leader they name; any other refusal becomes a
    /// <see cref="ClusterApiException"/> with the server's message.</summary>
    private async Task<HttpResponseMessage> SendAsync(string address, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            using var message = request();
            message.RequestUri = new Uri($"https://{address}{message.RequestUri}");
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ClusterApiException($"cannot reach the cluster port at {address}: {Describe(e)}", inner: e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ClusterApiException($"the cluster port at {address} did not answer within {http.Timeout.TotalSeconds:0} s", inner: e);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.MisdirectedRequest && error.Leader is { } leader && hop < MaxRedirects)
                {
                    address = leader;
                    continue;
                }

                throw new ClusterApiException(error.Message, response.StatusCode);
            }
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new ClusterApiException("the server answered with an empty body", response.StatusCode);
        }
        catch (JsonException e)
        {
            throw new ClusterApiException($"the server's answer is not valid JSON: {e.Message}", response.StatusCode, e);
        }
    }

    private static async Task<ClusterApiError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonSerializer.Deserialize(text, ClusterApiJson.Default.ClusterApiError) is { Message: not null } error)
            {
                return error;
            }
        }
        catch (JsonException)
        {
        }

        return new ClusterApiError($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text.ReplaceLineEndings(" ")[..Math.Min(200, text.Length)] : "")}");
    }

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused (is a litekube server running there?)",
            SocketError.TimedOut => "connection timed out",
            _ => socket.Message,
        },
        AuthenticationException => "the TLS handshake failed: the server's certificate is not from this cluster's CA, or it refused ours",
        _ when e.HttpRequestError == HttpRequestError.ConnectionError && e.InnerException is TaskCanceledException or TimeoutException => "connection timed out",
        _ => e.InnerException?.Message ?? e.Message,
    };

    public void Dispose() => http.Dispose();
}
