namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>The role a binding grants: Kind is "Role" (same namespace) or "ClusterRole".</summary>
public sealed record RoleRef(string Kind, string Name)
{
    public const string RoleKind = "Role";
    public const string ClusterRoleKind = "ClusterRole";
}
