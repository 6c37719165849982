using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Tables;

namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>Builds the JSON of an object for printer tests: a name, a creation time and dotted
/// paths set to values (strings, numbers, bools, or JSON text for objects and arrays).</summary>
internal sealed class ObjectBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly JsonObject _obj = [];

    public ObjectBuilder(string name, TimeSpan? age = null)
    {
        Set("metadata.name", name);
        if (age is { } a)
        {
            Set("metadata.creationTimestamp", Ago(a));
        }
    }

    /// <summary>An RFC 3339 time that long before <see cref="Now"/>.</summary>
    public static string Ago(TimeSpan age) => (Now - age).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public ObjectBuilder Set(string path, object value)
    {
        var parts = path.Split('.');
        var node = _obj;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value switch
        {
            JsonNode n => n,
            string s when s.StartsWith('{') || s.StartsWith('[') => JsonNode.Parse(s),
            string s => JsonValue.Create(s),
            long l => JsonValue.Create(l),
            int i => JsonValue.Create(i),
            bool b => JsonValue.Create(b),
            _ => throw new ArgumentException($"unsupported value {value}"),
        };
        return this;
    }

    public JsonObject Build() => (JsonObject)_obj.DeepClone();

    /// <summary>The cells the printer makes of this object, as strings ("" for null).</summary>
    public IReadOnlyList<string> PrintWith(ITablePrinter printer)
    {
        var cells = printer.Cells(Build(), Now);
        Assert.Equal(printer.Columns.Count, cells.Count);
        return cells.Select(c => c?.ToString() ?? "").ToList();
    }
}
