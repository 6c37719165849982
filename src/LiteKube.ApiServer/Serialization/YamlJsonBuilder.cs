using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LiteKube.ApiServer.Serialization;

/// <summary>
/// Builds the JSON tree from the parser's events with an explicit stack (no recursion, so
/// deep nesting cannot overflow the thread's stack). One instance per document.
/// </summary>
internal sealed class YamlJsonBuilder
{
    private const string MergeKey = "<<";

    private readonly Stack<Frame> _stack = new();
    private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);
    private readonly List<string> _duplicates = [];
    private long _ownNodes;
    private long _aliasNodes;

    public IReadOnlyList<string> DuplicateKeys => _duplicates;

    public JsonNode? Build(IParser parser)
    {
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        JsonNode? root = null;
        var done = false;
        while (!done)
        {
            var current = parser.Consume<ParsingEvent>();
            switch (current)
            {
                case Scalar scalar:
                    done = Complete(Scalar(scalar), scalar.Anchor, scalar, ref root);
                    break;
                case AnchorAlias alias:
                    done = Complete(Alias(alias), AnchorName.Empty, alias, ref root);
                    break;
                case MappingStart start:
                    Push(new Frame(new JsonObject(), start.Anchor, start.Start));
                    break;
                case SequenceStart start:
                    Push(new Frame(new JsonArray(), start.Anchor, start.Start));
                    break;
                case MappingEnd or SequenceEnd:
                    var frame = _stack.Pop();
                    frame.ApplyMerges(this);
                    done = Complete(frame.Node, frame.Anchor, current, ref root);
                    break;
                default:
                    throw new YamlJsonException($"error converting YAML to JSON: unexpected {current.GetType().Name}");
            }
        }

        parser.Consume<DocumentEnd>();
        if (!parser.TryConsume<StreamEnd>(out _))
        {
            throw new YamlJsonException("error converting YAML to JSON: the body holds more than one YAML document; send one object per request");
        }

        return root;
    }

    private void Push(Frame frame)
    {
        if (_stack.Count >= YamlJson.MaxDepth)
        {
            throw new YamlJsonException($"error converting YAML to JSON: the document nests deeper than {YamlJson.MaxDepth} levels");
        }

        CountOwn();
        _stack.Push(frame);
    }

    /// <summary>Places a finished value in its parent; true when it was the document's root.</summary>
    private bool Complete(JsonNode? value, AnchorName anchor, ParsingEvent at, ref JsonNode? root)
    {
        if (!anchor.IsEmpty)
        {
            // Later anchors of the same name replace earlier ones, as the YAML spec says.
            _anchors[anchor.Value] = value;
        }

        if (_stack.Count == 0)
        {
            root = value;
            return true;
        }

        _stack.Peek().Add(value, at, this);
        return false;
    }

    private JsonNode? Scalar(Scalar scalar)
    {
        CountOwn();
        var tag = scalar.Tag;
        if (!tag.IsEmpty && !tag.IsNonSpecific)
        {
            return YamlScalars.ResolveTagged(tag.Value, scalar.Value);
        }

        return scalar.Style == ScalarStyle.Plain && !tag.IsNonSpecific
            ? YamlScalars.ResolvePlain(scalar.Value).Value
            : JsonValue.Create(scalar.Value);
    }

    private JsonNode? Alias(AnchorAlias alias)
    {
        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
        {
            throw new YamlJsonException($"error converting YAML to JSON: unknown anchor '{alias.Value.Value}' referenced (line {alias.Start.Line})");
        }

        var size = Size(target);
        _aliasNodes += size;
        if (_aliasNodes > YamlJson.AliasBaseAllowance + (YamlJson.AliasRatio * _ownNodes))
        {
            throw new YamlJsonException("error converting YAML to JSON: the document's aliases expand to too many nodes");
        }

        return target?.DeepClone();
    }

    private void CountOwn() => _ownNodes++;

    internal void CountAlias(JsonNode? node) => _aliasNodes += Size(node);

    internal void Duplicate(string path) => _duplicates.Add(path);

    internal string PathOf(string key)
    {
        var path = new System.Text.StringBuilder();
        foreach (var label in _stack.Reverse().Select(f => f.Label).Where(l => l is not null).Append(key))
        {
            path.Append(path.Length > 0 && !label!.StartsWith('[') ? "." : "").Append(label);
        }

        return path.ToString();
    }

    private static long Size(JsonNode? node) => node switch
    {
        JsonObject o => 1 + o.Sum(p => Size(p.Value)),
        JsonArray a => 1 + a.Sum(Size),
        _ => 1,
    };

    /// <summary>A mapping or sequence being filled; a mapping alternates key and value.</summary>
    private sealed class Frame(JsonNode node, AnchorName anchor, Mark start)
    {
        private string? _pendingKey;
        private bool _pendingMerge;
        private readonly List<JsonObject> _merges = [];

        public JsonNode Node { get; } = node;

        public AnchorName Anchor { get; } = anchor;

        /// <summary>The key under which this frame's parent holds the child being built.</summary>
        public string? Label => Node is JsonObject ? _pendingKey : Node is JsonArray a ? $"[{a.Count}]" : null;

        public void Add(JsonNode? value, ParsingEvent at, YamlJsonBuilder builder)
        {
            if (Node is JsonArray array)
            {
                array.Add(value);
                return;
            }

            var obj = (JsonObject)Node;
            if (_pendingKey is null && !_pendingMerge)
            {
                (_pendingKey, _pendingMerge) = Key(value, at);
                return;
            }

            if (_pendingMerge)
            {
                _pendingMerge = false;
                AddMergeSource(value, at);
                return;
            }

            var key = _pendingKey!;
            _pendingKey = null;
            if (obj.ContainsKey(key))
            {
                builder.Duplicate(builder.PathOf(key));
                obj.Remove(key);
            }

            obj[key] = value;
        }

        /// <summary>Explicit keys win over merged ones; among merge sources the first wins.</summary>
        public void ApplyMerges(YamlJsonBuilder builder)
        {
            if (Node is not JsonObject obj)
            {
                return;
            }

            foreach (var source in _merges)
            {
                foreach (var (key, value) in source)
                {
                    if (!obj.ContainsKey(key))
                    {
                        var copy = value?.DeepClone();
                        builder.CountAlias(copy);
                        obj[key] = copy;
                    }
                }
            }
        }

        private static (string? Key, bool Merge) Key(JsonNode? key, ParsingEvent at)
        {
            if (at is Scalar { Style: ScalarStyle.Plain, Value: MergeKey } scalar && scalar.Tag.IsEmpty)
            {
                return (null, true);
            }

            return key switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => (s, false),
                JsonValue v when v.TryGetValue<bool>(out var b) => (b ? "true" : "false", false),
                JsonValue v => (NumberKey(v), false),
                null => throw new YamlJsonException($"error converting YAML to JSON: a mapping key is null (line {at.Start.Line}); JSON object keys must be strings"),
                _ => throw new YamlJsonException($"error converting YAML to JSON: a mapping key is a {(key is JsonObject ? "mapping" : "sequence")} (line {at.Start.Line}); JSON object keys must be strings"),
            };
        }

        private static string NumberKey(JsonValue number)
        {
            var text = number.ToJsonString();
            var isInteger = !text.Contains('.') && !text.Contains('e') && !text.Contains('E');
            return YamlScalars.KeyString(new YamlScalars.Resolved(isInteger ? YamlScalars.IntTag : YamlScalars.FloatTag, number), text);
        }

        private void AddMergeSource(JsonNode? value, ParsingEvent at)
        {
            switch (value)
            {
                case JsonObject source:
                    _merges.Add(source);
                    break;
                case JsonArray sources when sources.All(s => s is JsonObject):
                    _merges.AddRange(sources.Cast<JsonObject>());
                    break;
                default:
                    throw new YamlJsonException($"error converting YAML to JSON: map merge requires a mapping or a list of mappings (line {at.Start.Line})");
            }
        }

        public override string ToString() => $"{Node.GetType().Name} at {start}";
    }
}
