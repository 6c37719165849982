using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.FieldManagement;

/// <summary>One item of <c>metadata.managedFields</c>: which fields a manager set, and how
/// (<c>Apply</c> for server-side apply, <c>Update</c> for create, update and the other patches).</summary>
public sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, string? Time, string? Subresource, FieldSet Fields)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public bool SameOwner(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;

    /// <summary>The entries of an object's metadata; items that are not well formed are dropped.</summary>
    public static List<ManagedFieldsEntry> Read(JsonObject obj)
    {
        var entries = new List<ManagedFieldsEntry>();
        if (obj["metadata"] is not JsonObject { } metadata || metadata["managedFields"] is not JsonArray list)
        {
            return entries;
        }

        foreach (var item in list.OfType<JsonObject>())
        {
            if (Text(item, "manager") is { } manager && Text(item, "operation") is "Apply" or "Update"
                && FieldSet.FromFieldsV1(item["fieldsV1"]) is { } fields)
            {
                entries.Add(new ManagedFieldsEntry(manager, Text(item, "operation")!, Text(item, "apiVersion") ?? "", Text(item, "time"), Text(item, "subresource"), fields));
            }
        }

        return entries;
    }

    /// <summary>Writes the entries to the object's metadata (removing the field when there are none).</summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            obj["metadata"] = metadata = [];
        }

        var items = entries.Where(e => !e.Fields.IsEmpty).Select(e =>
        {
            var item = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
            };
            if (e.Time is not null)
            {
                item["time"] = e.Time;
            }

            item["fieldsType"] = "FieldsV1";
            item["fieldsV1"] = e.Fields.ToFieldsV1();
            if (e.Subresource is not null)
            {
                item["subresource"] = e.Subresource;
            }

            return (JsonNode)item;
        }).ToArray();
        if (items.Length == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = new JsonArray(items);
        }
    }

    private static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
