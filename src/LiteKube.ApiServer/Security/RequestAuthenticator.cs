using LiteKube.ApiServer.Security.ServiceAccounts;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security;

/// <summary>
/// Upstream's union of authenticators: a client certificate signed by the cluster CA (and not
/// one of a removed node: <see cref="RevokedNodeCertificates"/>), then a
/// bearer token (static token file, then service-account JWT). The first that accepts the
/// request names the user; a request that presents credentials none accepts is refused (null);
/// a request without any credentials (or only an Authorization scheme other than Bearer) is
/// anonymous.
/// </summary>
public sealed class RequestAuthenticator(
    ClientCertificateAuthenticator certificates,
    StaticTokenAuthenticator staticTokens,
    ServiceAccountTokenAuthenticator serviceAccounts,
    ApiServerSecurityOptions options,
    RevokedNodeCertificates revoked)
{
    /// <summary>The user, <see cref="UserInfo.Anonymous"/> without credentials, or null when
    /// the credentials presented are not valid (401).</summary>
    public async Task<UserInfo?> AuthenticateAsync(HttpContext context)
    {
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false);
        if (certificate is not null && certificates.Authenticate(certificate) is { } certificateUser
            && !await revoked.IsRevokedAsync(certificate, context.RequestAborted).ConfigureAwait(false))
        {
            return certificateUser;
        }

        if (BearerToken(context.Request.Headers.Authorization.ToString()) is { } token)
        {
            return (await AuthenticateTokenAsync(token, options.ApiAudiences, context.RequestAborted).ConfigureAwait(false)).User;
        }

        return certificate is null ? UserInfo.Anonymous : null;
    }

    /// <summary>Authenticates a bearer token for the given audiences (TokenReview asks for
    /// others than the API server's). Static tokens are audience-agnostic: as upstream, they
    /// count only when the audiences asked for include one of the API server's.</summary>
    public async Task<(UserInfo? User, IReadOnlyList<string> Audiences, string Error)> AuthenticateTokenAsync(
        string token, IReadOnlyCollection<string> audiences, CancellationToken cancellationToken)
    {
        if (staticTokens.Authenticate(token) is { } user)
        {
            var accepted = audiences.Where(options.ApiAudiences.Contains).ToList();
            return accepted.Count > 0
                ? (user, accepted, "")
                : (null, [], "the token's audience is not accepted");
        }

        var verification = await serviceAccounts.VerifyAsync(token, audiences, cancellationToken).ConfigureAwait(false);
        return verification.Claims is { } claims
            ? (ServiceAccountTokenAuthenticator.ToUser(claims), claims.Audiences.Where(audiences.Contains).ToList(), "")
            : (null, [], verification.IsOurs ? verification.Error : "invalid bearer token");
    }

    // "Bearer <token>", scheme case-insensitive as RFC 7235 says. Other schemes (basic auth,
    // which kubectl still sends for a kubeconfig user with a username) are ignored, as
    // upstream has done since it dropped basic auth: such a request is anonymous.
    private static string? BearerToken(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token == "" ? null : token;
    }
}
