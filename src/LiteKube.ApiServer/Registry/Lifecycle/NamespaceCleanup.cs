namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>
/// Upstream's namespace controller as a pure decision over the object graph: a namespace being
/// deleted whose spec.finalizers still hold "kubernetes" has its content deleted (Background,
/// each object's own finalizers and grace periods respected: the step waits for them); once
/// nothing is left, the namespace is finalized and removed. Level-based and idempotent.
/// </summary>
public static class NamespaceCleanup
{
    public static List<LifecycleAction> Decide(ObjectGraph graph)
    {
        var actions = new List<LifecycleAction>();
        foreach (var ns in graph.Nodes.Where(n => n.Deleting && n.Resource.Group == "" && n.Resource.Kind == "Namespace"))
        {
            if (!ns.SpecFinalizers.Contains(Finalizer.Kubernetes))
            {
                // Finalized but still stored (a server stopped in between): finish the delete,
                // unless other finalizers hold it, whose owners remove them.
                if (ns.SpecFinalizers.Count == 0 && ns.Finalizers.Count == 0)
                {
                    actions.Add(new LifecycleAction.Delete(ns, Propagation.Background, []));
                }

                continue;
            }

            var content = graph.In(ns.Name).ToList();
            if (content.Count == 0)
            {
                actions.Add(new LifecycleAction.FinalizeNamespace(ns));
                continue;
            }

            actions.AddRange(content.Where(c => !c.Deleting).Select(c => new LifecycleAction.Delete(c, Propagation.Background, [])));
        }

        return actions;
    }
}
