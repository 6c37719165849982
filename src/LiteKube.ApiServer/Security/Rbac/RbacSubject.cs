namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>Who a binding grants its role to: Kind is "User", "Group" or "ServiceAccount".</summary>
public sealed record RbacSubject(string Kind, string Name, string Namespace = "")
{
    public const string UserKind = "User";
    public const string GroupKind = "Group";
    public const string ServiceAccountKind = "ServiceAccount";

    /// <summary>Upstream's appliesToUser. A ServiceAccount subject without a namespace means
    /// the binding's own namespace, so a RoleBinding can name "its" service accounts briefly.</summary>
    public bool AppliesTo(UserInfo user, string bindingNamespace) => Kind switch
    {
        UserKind => Name == user.Name,
        GroupKind => user.Groups.Contains(Name),
        ServiceAccountKind => (Namespace != "" ? Namespace : bindingNamespace) is var ns && ns != ""
            && ServiceAccountUser.Name(ns, Name) == user.Name,
        _ => false,
    };

    /// <summary>How upstream names a subject in "allowed by" reasons.</summary>
    public string Describe(string bindingNamespace) => Kind == ServiceAccountKind
        ? $"{Kind} \"{Name}/{(Namespace != "" ? Namespace : bindingNamespace)}\""
        : $"{Kind} \"{Name}\"";
}
