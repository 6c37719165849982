using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>
/// Creates the <see cref="DefaultClusterRoles"/> and their bindings at start; safe to run on
/// every start of every server. As upstream's reconciliation, an existing default object that
/// still carries <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c> gets the rules or
/// subjects a newer LiteKube added; one an administrator marked "false" is left alone.
/// </summary>
public static class RbacBootstrap
{
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";
    private const string Group = "rbac.authorization.k8s.io";

    public static async Task EnsureAsync(ObjectStore objects, ResourceCatalog catalog, CancellationToken cancellationToken)
    {
        var clusterRoles = catalog.Find(Group, "v1", "clusterroles")!;
        var clusterRoleBindings = catalog.Find(Group, "v1", "clusterrolebindings")!;
        foreach (var (name, rules) in DefaultClusterRoles.Roles)
        {
            var role = Object("ClusterRole", name);
            role["rules"] = new JsonArray(rules.Select(r => (JsonNode)RbacObjects.ToJson(r)).ToArray());
            await EnsureOneAsync(objects, clusterRoles, role, "rules", cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, roleName, subjects) in DefaultClusterRoles.Bindings)
        {
            var binding = Object("ClusterRoleBinding", name);
            binding["roleRef"] = new JsonObject { ["apiGroup"] = Group, ["kind"] = RoleRef.ClusterRoleKind, ["name"] = roleName };
            binding["subjects"] = new JsonArray(subjects.Select(s => (JsonNode)new JsonObject
            {
                ["apiGroup"] = Group,
                ["kind"] = s.Kind,
                ["name"] = s.Name,
            }).ToArray());
            await EnsureOneAsync(objects, clusterRoleBindings, binding, "subjects", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureOneAsync(ObjectStore objects, ResourceDefinition resource, JsonObject wanted, string listField, CancellationToken ct)
    {
        var name = wanted["metadata"]!["name"]!.GetValue<string>();
        try
        {
            await objects.CreateAsync(resource, "", wanted.DeepClone().AsObject(), ct).ConfigureAwait(false);
            return;
        }
        catch (ApiException e) when (e.Reason == "AlreadyExists")
        {
        }

        var current = await objects.GetAsync(resource, "", name, ct).ConfigureAwait(false);
        if (MissingEntries(current, wanted, listField).Count == 0 || !AutoUpdate(current))
        {
            return;
        }

        await objects.UpdateAsync(resource, "", name, stored =>
        {
            var missing = MissingEntries(stored, wanted, listField);
            if (stored[listField] is not JsonArray list)
            {
                list = [];
                stored[listField] = list;
            }

            foreach (var entry in missing)
            {
                list.Add(entry.DeepClone());
            }

            ObjectStore.Metadata(stored).Remove("resourceVersion");
            return stored;
        }, ct).ConfigureAwait(false);
    }

    private static List<JsonNode> MissingEntries(JsonObject current, JsonObject wanted, string listField)
    {
        var have = (current[listField] as JsonArray ?? []).ToList();
        return (wanted[listField] as JsonArray ?? [])
            .Where(w => w is not null && !have.Any(h => JsonNode.DeepEquals(h, w)))
            .Select(w => w!)
            .ToList();
    }

    private static bool AutoUpdate(JsonObject obj) =>
        obj["metadata"]?["annotations"]?[AutoUpdateAnnotation] is JsonValue v && v.TryGetValue<string>(out var s) && s == "true";

    private static JsonObject Object(string kind, string name) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
            ["annotations"] = new JsonObject { [AutoUpdateAnnotation] = "true" },
        },
    };
}
