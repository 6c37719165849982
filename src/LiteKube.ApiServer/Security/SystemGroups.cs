namespace LiteKube.ApiServer.Security;

/// <summary>The groups upstream gives meaning to.</summary>
public static class SystemGroups
{
    /// <summary>Always allowed, whatever RBAC says (the admin kubeconfig's group).</summary>
    public const string Masters = "system:masters";
    /// <summary>Every user that presented valid credentials.</summary>
    public const string Authenticated = "system:authenticated";
    /// <summary>Requests without credentials.</summary>
    public const string Unauthenticated = "system:unauthenticated";
    public const string Nodes = "system:nodes";
    public const string Monitoring = "system:monitoring";
}
