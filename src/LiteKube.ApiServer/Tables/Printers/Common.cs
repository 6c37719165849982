using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>Small helpers shared by printers.</summary>
internal static class Common
{
    public static JsonNode? Of(string value) => JsonValue.Create(value);

    public static JsonNode? Of(long value) => JsonValue.Create(value);

    public static TableColumn Name { get; } = new("Name", "string", "Name must be unique within a namespace.", Format: "name");

    public static TableColumn Age { get; } = new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    /// <summary>"&lt;none&gt;" for empty values, as kubectl prints them.</summary>
    public static string OrNone(string value) => string.IsNullOrEmpty(value) ? "<none>" : value;
}
