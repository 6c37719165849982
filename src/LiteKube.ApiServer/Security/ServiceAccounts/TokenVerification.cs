namespace LiteKube.ApiServer.Security.ServiceAccounts;

/// <summary>The outcome of checking a bearer token as a service-account JWT.</summary>
public sealed record TokenVerification
{
    public static readonly TokenVerification NotServiceAccountToken = new() { Error = "not a service-account token of this cluster" };

    /// <summary>Set when the token is valid.</summary>
    public ServiceAccountTokenClaims? Claims { get; init; }

    /// <summary>Why the token was refused (for logs and TokenReview; never sent to the caller of a refused request).</summary>
    public string Error { get; init; } = "";

    /// <summary>True when the token claims this cluster's issuer: no other authenticator should try it.</summary>
    public bool IsOurs { get; init; }

    public bool IsValid => Claims is not null;

    public static TokenVerification Invalid(string error) => new() { Error = error, IsOurs = true };
}
