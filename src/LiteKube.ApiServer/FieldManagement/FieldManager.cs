using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.FieldManagement;

/// <summary>A field another manager owns that an apply would change.</summary>
public sealed record FieldConflict(string Manager, string ApiVersion, IReadOnlyList<string> Path)
{
    public string Field => FieldSet.Describe(Path);
}

/// <summary>
/// Field ownership as upstream's field manager keeps it in <c>metadata.managedFields</c>. Pure:
/// objects in, objects and entries out; the caller stores them.
/// </summary>
/// <remarks>
/// Update (create, update, every non-apply patch): the manager takes every field it set or
/// changed, from whoever owned it; fields it removed leave every manager. Apply: the applied
/// configuration is merged into the live object; a field another manager owns whose value the
/// apply changes is a conflict, unless forced, which takes it over; fields the applier set last
/// time and no longer does are removed unless another manager owns them. Not modelled: upstream
/// gives the first applier of an object created without managed fields the "before-first-apply"
/// fields, and keeps one set per API version (LiteKube serves one version of each kind).
/// </remarks>
public static class FieldManager
{
    public static List<ManagedFieldsEntry> Update(
        JsonObject? old, JsonObject updated, Type modelType, string manager, string apiVersion, string now, string? subresource = null)
    {
        var entries = old is null ? [] : ManagedFieldsEntry.Read(old);
        var oldSet = old is null ? new FieldSet() : ObjectFields.Of(old, modelType, mapsAreMembers: true, subresource);
        var newSet = ObjectFields.Of(updated, modelType, mapsAreMembers: true, subresource);
        var changed = Changed(old, updated, newSet, oldSet);
        var removed = oldSet.Except(newSet);

        var result = new List<ManagedFieldsEntry>();
        ManagedFieldsEntry? own = null;
        foreach (var entry in entries)
        {
            if (entry.SameOwner(manager, ManagedFieldsEntry.Update, subresource))
            {
                own = entry;
                continue;
            }

            result.Add(entry with { Fields = entry.Fields.Except(changed).Except(removed) });
        }

        if (!changed.IsEmpty)
        {
            var fields = (own?.Fields ?? new FieldSet()).Except(removed).Union(changed);
            result.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.Update, apiVersion, now, subresource, fields));
        }
        else if (own is not null)
        {
            result.Add(own with { Fields = own.Fields.Except(removed) });
        }

        return result.Where(e => !e.Fields.IsEmpty).ToList();
    }

    /// <summary>The result of an apply: the object to store and its entries, or the conflicts.</summary>
    public sealed record ApplyResult(JsonObject? Object, List<ManagedFieldsEntry> Entries, IReadOnlyList<FieldConflict> Conflicts);

    /// <param name="subresource">"status" or "scale" for an apply through that endpoint: its
    /// entry is a different owner than the same manager's apply to the object itself.</param>
    public static ApplyResult Apply(
        JsonObject? live, JsonObject config, Type modelType, string manager, string apiVersion, bool force, string now, string? subresource = null)
    {
        var entries = live is null ? [] : ManagedFieldsEntry.Read(live);
        var applied = ObjectFields.Of(config, modelType, subresource: subresource);
        var merged = ApplyMerge.Merge(live ?? [], config, modelType);
        var changed = Changed(live, merged, applied, live is null ? new FieldSet() : ObjectFields.Of(live, modelType, subresource: subresource));

        var conflicts = entries
            .Where(e => e.Manager != manager)
            .SelectMany(e => e.Fields.Intersect(changed).Paths().Select(p => new FieldConflict(e.Manager, e.ApiVersion, p)))
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            return new ApplyResult(null, entries, conflicts);
        }

        var previous = entries.FirstOrDefault(e => e.SameOwner(manager, ManagedFieldsEntry.Apply, subresource))?.Fields ?? new FieldSet();
        var others = entries
            .Where(e => !e.SameOwner(manager, ManagedFieldsEntry.Apply, subresource))
            .Select(e => e.Manager == manager ? e : e with { Fields = e.Fields.Except(changed) })
            .ToList();

        // Parents first: a removed list item takes its fields along (removing its key fields
        // first would leave it unfindable).
        foreach (var path in previous.Except(applied).Paths())
        {
            if (!others.Any(e => e.Fields.Contains(path)))
            {
                ObjectPaths.Remove(merged, path);
            }
        }

        others.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.Apply, apiVersion, now, subresource, applied));
        return new ApplyResult(merged, others.Where(e => !e.Fields.IsEmpty).ToList(), []);
    }

    /// <summary>The paths of <paramref name="newSet"/> that are new or whose value changed. A
    /// list item or object with fields is compared through its fields, not as a whole.</summary>
    private static FieldSet Changed(JsonObject? old, JsonObject updated, FieldSet newSet, FieldSet oldSet) =>
        FieldSet.Of(newSet.Paths().Where(path =>
        {
            if (!oldSet.Contains(path) || !ObjectPaths.TryFind(old, path, out var before))
            {
                return true;
            }

            ObjectPaths.TryFind(updated, path, out var after);
            return after is not JsonObject { Count: > 0 } && !JsonNode.DeepEquals(before, after);
        }));
}
