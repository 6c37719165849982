namespace LiteKube.ApiServer.Registry.Controllers;

/// <summary>
/// Upstream's ServiceAccount controller (kube-controller-manager's serviceaccount-controller) as
/// a pure decision: every active namespace has a ServiceAccount named <c>default</c>; one that
/// was deleted is created again. Nothing is created in a namespace being deleted (upstream
/// skips every namespace whose phase is not Active). Level-based: the same view gives the same
/// steps, and a step that already happened fails harmlessly as AlreadyExists.
/// </summary>
public static class ServiceAccountController
{
    public const string DefaultName = "default";

    public static List<NamespaceDefaultsAction> Decide(NamespaceDefaultsView view) =>
        [.. view.Namespaces
            .Where(ns => ns.Active && !view.HasDefaultServiceAccount(ns.Name))
            .Select(ns => new NamespaceDefaultsAction.CreateServiceAccount(ns.Name, ns.Uid))];
}
