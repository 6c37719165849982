using System.Globalization;

namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>
/// The table of Kubernetes protobuf messages (field number -> JSON name and type) that the
/// decoder reads. <see cref="Kubernetes"/> is KubernetesSchema.txt, generated from the API
/// definitions by tools/protobuf-schema/extract_schema.py (which documents the format and how
/// to regenerate it).
/// </summary>
public sealed class ProtoSchemaTable
{
    private static readonly Lazy<ProtoSchemaTable> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, ProtoMessageSchema> _messages;

    private ProtoSchemaTable(Dictionary<string, ProtoMessageSchema> messages) => _messages = messages;

    /// <summary>The table of every kind LiteKube serves and every type they use.</summary>
    public static ProtoSchemaTable Kubernetes => Embedded.Value;

    public ProtoMessageSchema? Find(string fullName) => _messages.GetValueOrDefault(fullName);

    /// <summary>The message of a kind in a group version: k8s.io.api.&lt;group's first label, or
    /// core&gt;.&lt;version&gt;.&lt;Kind&gt;, else a meta/v1 kind (DeleteOptions) of that name.</summary>
    public ProtoMessageSchema? ForKind(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        var package = group == "" ? "core" : group.Split('.')[0];
        return Find($"k8s.io.api.{package}.{version}.{kind}")
            ?? Find($"k8s.io.apimachinery.pkg.apis.meta.v1.{kind}");
    }

    /// <summary>Parses the table's text form; references are resolved once all messages are read.</summary>
    public static ProtoSchemaTable Parse(TextReader reader)
    {
        var messages = new Dictionary<string, ProtoMessageSchema>(StringComparer.Ordinal);
        var references = new List<(ProtoFieldSchema Field, string Ref)>();
        ProtoMessageSchema? current = null;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0].StartsWith('#'))
            {
                continue;
            }

            switch (parts[0])
            {
                case "M":
                    current = new ProtoMessageSchema(parts[1], parts.Length > 2 ? Enum.Parse<ProtoRender>(parts[2], ignoreCase: true) : ProtoRender.Object);
                    messages.Add(current.Name, current);
                    break;
                case "F" when current is not null:
                    var (field, reference) = ParseField(parts);
                    current.Add(field);
                    if (reference is not null)
                    {
                        references.Add((field, reference));
                    }

                    break;
                default:
                    throw new FormatException($"schema table line {lineNumber}: cannot read \"{line}\"");
            }
        }

        foreach (var (field, reference) in references)
        {
            field.Message = messages.GetValueOrDefault(reference)
                ?? throw new FormatException($"schema table: {field.JsonName} refers to unknown message {reference}");
        }

        return new ProtoSchemaTable(messages);
    }

    private static (ProtoFieldSchema Field, string? Reference) ParseField(string[] parts)
    {
        var number = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var type = Enum.Parse<ProtoType>(parts[3], ignoreCase: true);
        var rest = parts.Skip(4).ToList();
        string? reference = null;
        ProtoType? mapValue = null;
        if (type is ProtoType.Message or ProtoType.Map)
        {
            var target = rest[0];
            rest.RemoveAt(0);
            if (type == ProtoType.Map && Enum.TryParse<ProtoType>(target, ignoreCase: true, out var scalar))
            {
                mapValue = scalar;
            }
            else
            {
                reference = target;
                mapValue = type == ProtoType.Map ? ProtoType.Message : null;
            }
        }

        var field = new ProtoFieldSchema(number, parts[2], type, rest.Contains("repeated"), rest.Contains("omitzero"), rest.Contains("inline"))
        {
            MapValue = mapValue,
        };
        return (field, reference);
    }

    private static ProtoSchemaTable LoadEmbedded()
    {
        using var stream = typeof(ProtoSchemaTable).Assembly.GetManifestResourceStream("LiteKube.ApiServer.Serialization.Protobuf.KubernetesSchema.txt")
            ?? throw new InvalidOperationException("the embedded protobuf schema table is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
