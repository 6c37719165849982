namespace LiteKube.ApiServer.Security;

/// <summary>Who made a request, as authentication established it (upstream's user.Info).</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public static readonly UserInfo Anonymous = new("system:anonymous", [SystemGroups.Unauthenticated]);

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A stable id when the credential has one (a service account's uid), else "".</summary>
    public string Uid { get; init; } = "";

    /// <summary>Extra facts from the credential (a token's id, the pod it is bound to).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = NoExtra;

    public bool IsAnonymous => Name == Anonymous.Name;
}
