namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>A RoleBinding (Namespace set) or ClusterRoleBinding (Namespace empty).</summary>
public sealed record RoleBinding(string Namespace, string Name, RoleRef RoleRef, IReadOnlyList<RbacSubject> Subjects)
{
    public bool IsClusterRoleBinding => Namespace == "";

    /// <summary>The first subject that names <paramref name="user"/>, or null.</summary>
    public RbacSubject? SubjectFor(UserInfo user) => Subjects.FirstOrDefault(s => s.AppliesTo(user, Namespace));

    /// <summary>Upstream's binding describers, used in "RBAC: allowed by ..." reasons.</summary>
    public string Describe(RbacSubject subject) => IsClusterRoleBinding
        ? $"ClusterRoleBinding \"{Name}\" of {RoleRef.Kind} \"{RoleRef.Name}\" to {subject.Describe("")}"
        : $"RoleBinding \"{Name}/{Namespace}\" of {RoleRef.Kind} \"{RoleRef.Name}\" to {subject.Describe(Namespace)}";
}
