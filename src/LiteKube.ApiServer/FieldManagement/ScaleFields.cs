namespace LiteKube.ApiServer.FieldManagement;

/// <summary>
/// Managed fields between a scalable object and its <c>/scale</c> view, as upstream's
/// ScaleHandler converts them: the Scale sees only who owns spec.replicas, and what a write
/// through the Scale does to that ownership goes back to the object's entries. Every kind
/// LiteKube scales (deployments, replica sets, stateful sets, replication controllers) keeps
/// its replicas at spec.replicas, as the Scale does. Pure.
/// </summary>
public static class ScaleFields
{
    public const string ScaleApiVersion = "autoscaling/v1";

    private static readonly IReadOnlyList<string> Replicas = ["f:spec", "f:replicas"];

    /// <summary>The Scale's entries: one per owner of the object's spec.replicas, owning just that.</summary>
    public static List<ManagedFieldsEntry> ToSubresource(IEnumerable<ManagedFieldsEntry> parent) =>
        parent.Where(e => e.Fields.Contains(Replicas))
            .Select(e => e with { ApiVersion = ScaleApiVersion, Fields = ReplicasOnly() })
            .ToList();

    /// <summary>The object's entries after a write through the Scale left <paramref name="scale"/>:
    /// an owner of spec.replicas that no longer owns it on the Scale loses it, and each Scale owner
    /// of spec.replicas that the object did not list is added, owning spec.replicas.</summary>
    public static List<ManagedFieldsEntry> ToParent(IEnumerable<ManagedFieldsEntry> parent, IEnumerable<ManagedFieldsEntry> scale, string parentApiVersion)
    {
        var scaleOwners = scale.Where(e => e.Fields.Contains(Replicas)).ToList();
        var result = new List<ManagedFieldsEntry>();
        foreach (var entry in parent)
        {
            if (!entry.Fields.Contains(Replicas))
            {
                result.Add(entry);
                continue;
            }

            var kept = scaleOwners.FindIndex(s => s.SameOwner(entry.Manager, entry.Operation, entry.Subresource));
            if (kept >= 0)
            {
                // Upstream keeps the object's time here; the Scale's says when it was last written.
                result.Add(entry with { Time = scaleOwners[kept].Time ?? entry.Time });
                scaleOwners.RemoveAt(kept);
            }
            else if (entry.Fields.Except(ReplicasOnly()) is { IsEmpty: false } rest)
            {
                result.Add(entry with { Fields = rest });
            }
        }

        result.AddRange(scaleOwners.Select(s => s with { ApiVersion = parentApiVersion, Fields = ReplicasOnly() }));
        return result;
    }

    private static FieldSet ReplicasOnly() => FieldSet.Of([Replicas]);
}
