using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>Reads the stored JSON of the four RBAC kinds into the evaluator's records.
/// Lenient: a missing list is empty, as upstream's decoding of an omitted field.</summary>
public static class RbacObjects
{
    public static IReadOnlyList<PolicyRule> Rules(JsonObject role) =>
        role["rules"] is JsonArray rules
            ? rules.OfType<JsonObject>().Select(Rule).ToList()
            : [];

    public static PolicyRule Rule(JsonObject rule) => new()
    {
        Verbs = Strings(rule["verbs"]),
        ApiGroups = Strings(rule["apiGroups"]),
        Resources = Strings(rule["resources"]),
        ResourceNames = Strings(rule["resourceNames"]),
        NonResourceUrls = Strings(rule["nonResourceURLs"]),
    };

    public static RoleBinding Binding(JsonObject binding)
    {
        var metadata = binding["metadata"] as JsonObject;
        var roleRef = binding["roleRef"] as JsonObject;
        var subjects = binding["subjects"] is JsonArray list
            ? list.OfType<JsonObject>().Select(s => new RbacSubject(String(s["kind"]), String(s["name"]), String(s["namespace"]))).ToList()
            : [];
        return new RoleBinding(
            String(metadata?["namespace"]),
            String(metadata?["name"]),
            new RoleRef(String(roleRef?["kind"]), String(roleRef?["name"])),
            subjects);
    }

    public static (string Namespace, string Name) Identity(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        return (String(metadata?["namespace"]), String(metadata?["name"]));
    }

    /// <summary>The JSON form of a rule, for review answers and bootstrap objects.</summary>
    public static JsonObject ToJson(PolicyRule rule)
    {
        var json = new JsonObject { ["verbs"] = Array(rule.Verbs) };
        if (rule.NonResourceUrls.Count > 0)
        {
            json["nonResourceURLs"] = Array(rule.NonResourceUrls);
            return json;
        }

        json["apiGroups"] = Array(rule.ApiGroups);
        json["resources"] = Array(rule.Resources);
        if (rule.ResourceNames.Count > 0)
        {
            json["resourceNames"] = Array(rule.ResourceNames);
        }

        return json;
    }

    public static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(String).ToList() : [];

    private static string String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) ? s : "";
}
