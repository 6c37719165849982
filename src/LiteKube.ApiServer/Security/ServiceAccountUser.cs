namespace LiteKube.ApiServer.Security;

/// <summary>How a service account appears as a user: upstream's naming, which RBAC subjects
/// and the groups <c>system:serviceaccounts[:ns]</c> rely on.</summary>
public static class ServiceAccountUser
{
    public const string Prefix = "system:serviceaccount:";
    public const string AllServiceAccountsGroup = "system:serviceaccounts";

    public static string Name(string ns, string name) => $"{Prefix}{ns}:{name}";

    public static IReadOnlyList<string> Groups(string ns) =>
        [AllServiceAccountsGroup, $"{AllServiceAccountsGroup}:{ns}", SystemGroups.Authenticated];

    /// <summary>Splits "system:serviceaccount:ns:name"; false for any other user name.</summary>
    public static bool TryParse(string user, out string ns, out string name)
    {
        ns = name = "";
        if (!user.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = user[Prefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0] == "" || parts[1] == "")
        {
            return false;
        }

        (ns, name) = (parts[0], parts[1]);
        return true;
    }
}
