using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Discovery;

/// <summary>
/// Discovery documents built from the catalog: aggregated (apidiscovery.k8s.io v2 and v2beta1,
/// one document for /api and one for /apis) and legacy (APIVersions, APIGroupList,
/// APIResourceList). kubectl reads resources, short names, categories and subresources from them.
/// </summary>
public sealed class DiscoveryDocuments(ResourceCatalog catalog)
{
    /// <summary>Verbs and response kinds of subresources, as upstream serves them.</summary>
    private static readonly Dictionary<string, (string[] Verbs, string Group, string Version, string Kind)> SubresourceFacts = new()
    {
        ["status"] = (["get", "patch", "update"], "", "", ""),
        ["scale"] = (["get", "patch", "update"], "autoscaling", "v1", "Scale"),
        ["binding"] = (["create"], "", "v1", "Binding"),
        ["eviction"] = (["create"], "policy", "v1", "Eviction"),
        ["log"] = (["get"], "", "v1", "Pod"),
        ["exec"] = (["create", "get"], "", "v1", "PodExecOptions"),
        ["token"] = (["create"], "authentication.k8s.io", "v1", "TokenRequest"),
        ["finalize"] = (["update"], "", "", ""),
    };

    public JsonObject Aggregated(bool core, string apiVersion)
    {
        var groups = catalog.Resources
            .Where(r => (r.Group == "") == core)
            .GroupBy(r => r.Group)
            .Select(g => (JsonNode)new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = g.Key },
                ["versions"] = new JsonArray(g.GroupBy(r => r.Version).Select(v => (JsonNode)new JsonObject
                {
                    ["version"] = v.Key,
                    ["resources"] = new JsonArray(v.Select(AggregatedResource).ToArray()),
                    ["freshness"] = "Current",
                }).ToArray()),
            })
            .ToArray();
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray(groups),
        };
    }

    private static JsonNode AggregatedResource(ResourceDefinition r)
    {
        var resource = new JsonObject
        {
            ["resource"] = r.Plural,
            ["responseKind"] = Kind(r.Group, r.Version, r.Kind),
            ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = r.Singular,
            ["verbs"] = Strings(r.Verbs),
        };
        if (r.ShortNames.Count > 0)
        {
            resource["shortNames"] = Strings(r.ShortNames);
        }

        if (r.Categories.Count > 0)
        {
            resource["categories"] = Strings(r.Categories);
        }

        if (r.Subresources.Count > 0)
        {
            resource["subresources"] = new JsonArray(r.Subresources.Select(s =>
            {
                var (verbs, group, version, kind) = SubresourceFacts[s];
                return (JsonNode)new JsonObject
                {
                    ["subresource"] = s,
                    ["responseKind"] = kind == "" ? Kind(r.Group, r.Version, r.Kind) : Kind(group, version, kind),
                    ["verbs"] = Strings(verbs),
                };
            }).ToArray());
        }

        return resource;
    }

    public JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = Strings(["v1"]),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject ApiGroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.Resources.Where(r => r.Group != "").GroupBy(r => r.Group).Select(ApiGroup).ToArray()),
    };

    public JsonObject? ApiGroup(string group)
    {
        var resources = catalog.Resources.Where(r => r.Group == group).ToList();
        return group == "" || resources.Count == 0 ? null : ApiGroup(resources.GroupBy(r => r.Group).Single()).AsObject();
    }

    private static JsonNode ApiGroup(IGrouping<string, ResourceDefinition> group)
    {
        var versions = group.Select(r => r.Version).Distinct().ToList();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group.Key,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(group.Key, v)).ToArray()),
            ["preferredVersion"] = GroupVersion(group.Key, versions[0]),
        };
    }

    public JsonObject? ApiResourceList(string group, string version)
    {
        var resources = catalog.Resources.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var entries = new List<JsonNode>();
        foreach (var r in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = Strings(r.Verbs),
            };
            if (r.ShortNames.Count > 0)
            {
                entry["shortNames"] = Strings(r.ShortNames);
            }

            if (r.Categories.Count > 0)
            {
                entry["categories"] = Strings(r.Categories);
            }

            entries.Add(entry);
            foreach (var s in r.Subresources)
            {
                var (verbs, g, v, kind) = SubresourceFacts[s];
                var sub = new JsonObject
                {
                    ["name"] = $"{r.Plural}/{s}",
                    ["singularName"] = "",
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = kind == "" ? r.Kind : kind,
                    ["verbs"] = Strings(verbs),
                };
                if (kind != "")
                {
                    sub["group"] = g;
                    sub["version"] = v;
                }

                entries.Add(sub);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group == "" ? version : $"{group}/{version}",
            ["resources"] = new JsonArray(entries.ToArray()),
        };
    }

    private static JsonObject GroupVersion(string group, string version) =>
        new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static JsonObject Kind(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
