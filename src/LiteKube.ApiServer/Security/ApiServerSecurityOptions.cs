using LiteKube.ApiServer.Security.ServiceAccounts;

namespace LiteKube.ApiServer.Security;

/// <summary>
/// The security settings the host gives the API server (registered in DI before
/// <c>AddKubernetesApi</c>). The signing key must be the same on every server of a cluster
/// and survive restarts, or issued service-account tokens stop working.
/// </summary>
public sealed record ApiServerSecurityOptions
{
    public const string DefaultIssuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>Signs and verifies service-account tokens.</summary>
    public required ServiceAccountSigningKey ServiceAccountKey { get; init; }

    /// <summary><c>--token-auth-file</c>: static bearer tokens (upstream's CSV format); null for none.</summary>
    public string? TokenAuthFile { get; init; }

    /// <summary>The <c>iss</c> claim of issued tokens; tokens of other issuers are not ours.</summary>
    public string ServiceAccountIssuer { get; init; } = DefaultIssuer;

    /// <summary>Audiences the API server accepts (upstream's --api-audiences, default the issuer);
    /// the first is what a TokenRequest without audiences gets.</summary>
    public IReadOnlyList<string> ApiAudiences { get; init; } = [DefaultIssuer];
}
