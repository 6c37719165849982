namespace LiteKube.ApiServer.Security.ServiceAccounts;

/// <summary>What a service-account token asserts: upstream's bound-token claims.</summary>
public sealed record ServiceAccountTokenClaims
{
    public required string Namespace { get; init; }
    public required string ServiceAccountName { get; init; }
    public required string ServiceAccountUid { get; init; }
    public required IReadOnlyList<string> Audiences { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset Expiry { get; init; }
    public DateTimeOffset NotBefore { get => field == default ? IssuedAt : field; init; }
    /// <summary>The token's id (jti), reported as the credential id of the user.</summary>
    public string Id { get; init; } = "";
    public BoundObjectReference? BoundObject { get; init; }

    public string Subject => ServiceAccountUser.Name(Namespace, ServiceAccountName);
}
