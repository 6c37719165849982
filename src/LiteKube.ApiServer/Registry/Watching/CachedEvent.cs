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
/// One change of one object, shared by every watcher. <see cref="Json"/> is the object after the
/// change (for a delete, its last state) as the UTF-8 JSON a watch sends, with apiVersion, kind
/// and resourceVersion (the change's revision) set; it is serialized once and never parsed again
/// unless a reader asks (<see cref="ToObject"/>), because a parsed <see cref="JsonObject"/> tree
/// costs several times its JSON and the cache holds thousands of events per resource.
/// <see cref="Previous"/> holds the facts of the object before the change (null for a create),
/// so that a watcher can turn a change that moves an object into or out of its selector into
/// ADDED or DELETED, as upstream does.
/// </summary>
/// <param name="Json">Shared by every reader: never written to.</param>
public sealed record CachedEvent(long Revision, WatchEventKind Kind, ReadOnlyMemory<byte> Json, ObjectFacts Facts, ObjectFacts? Previous)
{
    /// <summary>A fresh, private parse of <see cref="Json"/> that the caller may change.</summary>
    public JsonObject ToObject() => JsonNode.Parse(Json.Span)?.AsObject() ?? [];
}
