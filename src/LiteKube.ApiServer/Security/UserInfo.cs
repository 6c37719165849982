namespace LiteKube.ApiServer.Security;

/// <summary>Who made a request, as authentication established it.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);

    public bool IsAnonymous => Name == Anonymous.Name;
}
