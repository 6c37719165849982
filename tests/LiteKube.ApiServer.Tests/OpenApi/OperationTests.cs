using System.Text.Json.Nodes;
using LiteKube.ApiServer.OpenApi;
using LiteKube.ApiServer.Resources;
using static LiteKube.ApiServer.Tests.OpenApi.OpenApiTestDocuments;

namespace LiteKube.ApiServer.Tests.OpenApi;

/// <summary>The paths and operations of the documents, as kubectl reads them.</summary>
public sealed class OperationTests
{
    [Fact]
    public void A_namespaced_resource_has_collection_item_cluster_wide_watch_and_subresource_paths()
    {
        var paths = V3("api/v1")["paths"]!.AsObject();

        Assert.Equal(["delete", "get", "parameters", "post"], Methods(paths, "/api/v1/namespaces/{namespace}/pods"));
        Assert.Equal(["delete", "get", "parameters", "patch", "put"], Methods(paths, "/api/v1/namespaces/{namespace}/pods/{name}"));
        Assert.Equal(["get", "parameters"], Methods(paths, "/api/v1/pods"));
        Assert.Equal(["get", "parameters"], Methods(paths, "/api/v1/watch/namespaces/{namespace}/pods"));
        Assert.Equal(["get", "parameters"], Methods(paths, "/api/v1/watch/namespaces/{namespace}/pods/{name}"));
        Assert.Equal(["get", "parameters"], Methods(paths, "/api/v1/watch/pods"));
        Assert.Equal(["get", "parameters", "patch", "put"], Methods(paths, "/api/v1/namespaces/{namespace}/pods/{name}/status"));
        Assert.Equal(["parameters", "post"], Methods(paths, "/api/v1/namespaces/{namespace}/pods/{name}/binding"));
        Assert.Equal(["parameters", "post"], Methods(paths, "/api/v1/namespaces/{namespace}/pods/{name}/eviction"));
        Assert.Equal(["get", "parameters"], Methods(paths, "/api/v1/namespaces/{namespace}/pods/{name}/log"));
        Assert.Equal(["get", "parameters", "post"], Methods(paths, "/api/v1/namespaces/{namespace}/pods/{name}/exec"));

        Assert.Equal("list", Action(paths, "/api/v1/namespaces/{namespace}/pods", "get"));
        Assert.Equal("deletecollection", Action(paths, "/api/v1/namespaces/{namespace}/pods", "delete"));
        Assert.Equal("watchlist", Action(paths, "/api/v1/watch/pods", "get"));
        Assert.Equal("watch", Action(paths, "/api/v1/watch/namespaces/{namespace}/pods/{name}", "get"));
        Assert.Equal("connect", Action(paths, "/api/v1/namespaces/{namespace}/pods/{name}/exec", "post"));
        Assert.Equal("listCoreV1PodForAllNamespaces", paths["/api/v1/pods"]!["get"]!["operationId"]!.GetValue<string>());
        Assert.Equal("Eviction", paths["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]!["post"]!["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Cluster_scoped_and_create_only_resources_have_only_their_paths()
    {
        var core = V3("api/v1")["paths"]!.AsObject();
        Assert.Equal(["delete", "get", "parameters", "patch", "put"], Methods(core, "/api/v1/nodes/{name}"));
        Assert.DoesNotContain(core, p => p.Key.Contains("/namespaces/{namespace}/nodes", StringComparison.Ordinal));

        var authorization = V3("apis/authorization.k8s.io/v1")["paths"]!.AsObject();
        Assert.Equal(["parameters", "post"], Methods(authorization, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"));
        Assert.Equal(["parameters", "post"], Methods(authorization, "/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews"));
        Assert.DoesNotContain(authorization, p => p.Key.EndsWith("{name}", StringComparison.Ordinal));

        var scale = V3("apis/apps/v1")["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]!["patch"]!;
        Assert.Equal("autoscaling", scale["x-kubernetes-group-version-kind"]!["group"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.api.autoscaling.v1.Scale",
            scale["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void Every_patch_operation_names_its_kind_takes_field_validation_and_all_patch_types()
    {
        var catalog = ResourceCatalog.BuiltIn();
        var patches = 0;
        foreach (var (group, version) in catalog.GroupVersions())
        {
            foreach (var (path, item) in V3(OpenApiDocuments.GroupVersionPath(group, version))["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject().Where(o => o.Key != "parameters"))
                {
                    Assert.NotNull(operation!["x-kubernetes-group-version-kind"]);
                    Assert.NotNull(operation["x-kubernetes-action"]);
                    var parameters = QueryParameters(operation);
                    if (method is "post" or "put" or "patch" && !path.EndsWith("/exec", StringComparison.Ordinal))
                    {
                        Assert.Contains("fieldValidation", parameters);
                        Assert.Contains("dryRun", parameters);
                        Assert.Contains("fieldManager", parameters);
                    }

                    if (method == "patch")
                    {
                        patches++;
                        Assert.Contains("force", parameters);
                        Assert.Equal(ResourceOperations.PatchMediaTypes, operation["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
                    }
                }

                Assert.Contains("pretty", item["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
            }
        }

        var expected = catalog.Resources.Sum(r => (r.Verbs.Contains("patch") ? 1 : 0) + r.Subresources.Count(s => s is "status" or "scale"));
        Assert.Equal(expected, patches);
    }

    [Fact]
    public void The_v2_document_has_every_path_of_the_v3_documents()
    {
        var v2Paths = V2()["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        var v3Paths = ResourceCatalog.BuiltIn().GroupVersions()
            .SelectMany(gv => V3(OpenApiDocuments.GroupVersionPath(gv.Group, gv.Version))["paths"]!.AsObject().Select(p => p.Key));
        Assert.Equal(v3Paths.Order(StringComparer.Ordinal), v2Paths.Order(StringComparer.Ordinal));

        var patch = V2()["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Contains("application/strategic-merge-patch+json", patch["consumes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["in"]!.GetValue<string>() == "body" && p["schema"]!["$ref"]!.GetValue<string>() == "#/definitions/" + DefinitionNames.Patch);
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
    }

    private static string[] Methods(JsonObject paths, string path) =>
        [.. paths[path]!.AsObject().Select(o => o.Key).Order(StringComparer.Ordinal)];

    private static string Action(JsonObject paths, string path, string method) =>
        paths[path]![method]!["x-kubernetes-action"]!.GetValue<string>();

    private static List<string> QueryParameters(JsonNode operation) =>
        operation["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
}
