using System.Text.Json.Nodes;
using LiteKube.ApiServer.Selectors;

namespace LiteKube.ApiServer.Registry.Watching;

public enum WatchEventKind { Added, Modified, Deleted }

/// <summary>What selectors look at in an object, read once per event.</summary>
public sealed record ObjectFacts(string Namespace, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Fields)
{
    public static ObjectFacts Of(JsonObject obj, Resources.ResourceDefinition resource) =>
        new(ObjectStore.Metadata(obj)["namespace"]?.ToString() ?? "", LabelSelector.LabelsOf(obj), SupportedFields.ValuesOf(obj, resource));
}

/// <summary>
/// One change of one object, shared by every watcher. <see cref="Object"/> is the object after
/// the change (for a delete, its last state) with resourceVersion set to the change's revision;
/// <see cref="Previous"/> holds the facts of the object before the change (null for a create),
/// so that a watcher can turn a change that moves an object into or out of its selector into
/// ADDED or DELETED, as upstream does.
/// </summary>
public sealed record CachedEvent(long Revision, WatchEventKind Kind, JsonObject Object, ObjectFacts Facts, ObjectFacts? Previous);
