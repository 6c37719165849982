using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.OpenApi;
using LiteKube.ApiServer.Resources;
using static LiteKube.ApiServer.Tests.OpenApi.OpenApiTestDocuments;

namespace LiteKube.ApiServer.Tests.OpenApi;

/// <summary>The schemas generated from the k8s.Models types, against upstream's published shape.</summary>
public sealed class SchemaGenerationTests
{
    private const string Schemas = "#/components/schemas/";

    [Fact]
    public void Pod_spec_containers_is_an_array_of_Container_merged_by_name()
    {
        var core = V3("api/v1");
        var containers = Schema(core, "io.k8s.api.core.v1.PodSpec")["properties"]!["containers"]!;

        Assert.Equal("array", containers["type"]!.GetValue<string>());
        Assert.Equal(Schemas + "io.k8s.api.core.v1.Container", RefOf(containers["items"]));
        Assert.Equal("name", containers["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal("merge", containers["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Equal("map", containers["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal(["name"], containers["x-kubernetes-list-map-keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.StartsWith("List of containers belonging to the pod.", containers["description"]!.GetValue<string>());
        Assert.Contains("containers", Schema(core, "io.k8s.api.core.v1.PodSpec")["required"]!.AsArray().Select(r => r!.GetValue<string>()));

        var ports = Schema(core, "io.k8s.api.core.v1.Container")["properties"]!["ports"]!;
        Assert.Equal("containerPort", ports["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal(["containerPort", "protocol"], ports["x-kubernetes-list-map-keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Contains("containerPort", Schema(core, "io.k8s.api.core.v1.ContainerPort")["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void A_kind_refers_to_ObjectMeta_of_apimachinery_with_its_merge_rules_and_time_stamps()
    {
        var core = V3("api/v1");
        var metadata = Schema(core, "io.k8s.api.core.v1.Pod")["properties"]!["metadata"]!;
        Assert.Equal(Schemas + "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", RefOf(metadata));
        // OpenAPI 3.0 ignores siblings of $ref: the description needs the allOf wrapper.
        Assert.NotNull(metadata["allOf"]);
        Assert.NotNull(metadata["description"]);

        var meta = Schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")["properties"]!;
        Assert.Equal("uid", meta["ownerReferences"]!["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal("merge", meta["finalizers"]!["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Equal("set", meta["finalizers"]!["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal("string", meta["labels"]!["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.Equal(Schemas + DefinitionNames.Time, RefOf(meta["creationTimestamp"]));
        Assert.Equal("date-time", Schema(core, DefinitionNames.Time)["format"]!.GetValue<string>());
        Assert.Equal(Schemas + DefinitionNames.FieldsV1, RefOf(Schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry")["properties"]!["fieldsV1"]));
        Assert.Equal(Schemas + DefinitionNames.MicroTime, RefOf(Schema(core, "io.k8s.api.core.v1.Event")["properties"]!["eventTime"]));
    }

    [Fact]
    public void IntOrString_and_Quantity_are_shaped_as_upstream_publishes_them()
    {
        var apps = V3("apis/apps/v1");
        var intOrString = Schema(apps, DefinitionNames.IntOrString);
        Assert.Equal("int-or-string", intOrString["format"]!.GetValue<string>());
        Assert.Equal(["integer", "string"], intOrString["oneOf"]!.AsArray().Select(o => o!["type"]!.GetValue<string>()));
        Assert.Equal(Schemas + DefinitionNames.IntOrString,
            RefOf(Schema(apps, "io.k8s.api.apps.v1.RollingUpdateDeployment")["properties"]!["maxSurge"]));
        var quantity = Schema(apps, DefinitionNames.Quantity);
        Assert.Equal(["string", "number"], quantity["oneOf"]!.AsArray().Select(o => o!["type"]!.GetValue<string>()));
        var limits = Schema(apps, "io.k8s.api.core.v1.ResourceRequirements")["properties"]!["limits"]!;
        Assert.Equal(Schemas + DefinitionNames.Quantity, limits["additionalProperties"]!["$ref"]!.GetValue<string>());

        // Swagger 2.0 has no oneOf: both are strings there, as in upstream's /openapi/v2.
        var v2 = V2()["definitions"]!;
        Assert.Equal("string", v2[DefinitionNames.IntOrString]!["type"]!.GetValue<string>());
        Assert.Equal("int-or-string", v2[DefinitionNames.IntOrString]!["format"]!.GetValue<string>());
        Assert.Equal("string", v2[DefinitionNames.Quantity]!["type"]!.GetValue<string>());
        Assert.Equal("#/definitions/" + DefinitionNames.Quantity, v2["io.k8s.api.core.v1.ResourceRequirements"]!["properties"]!["limits"]!["additionalProperties"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void Every_served_kind_carries_its_group_version_kind_in_its_group_version_document()
    {
        foreach (var resource in ResourceCatalog.BuiltIn().Resources)
        {
            var document = V3(OpenApiDocuments.GroupVersionPath(resource.Group, resource.Version));
            var kinds = document["components"]!["schemas"]!.AsObject()
                .Where(s => s.Value!["x-kubernetes-group-version-kind"] is JsonArray gvks && gvks.Any(g =>
                    g!["group"]!.GetValue<string>() == resource.Group && g["version"]!.GetValue<string>() == resource.Version
                    && g["kind"]!.GetValue<string>() == resource.Kind))
                .ToList();
            Assert.True(kinds.Count == 1, $"{resource.Kind} in {resource.GroupVersion}: {kinds.Count} schemas");
        }
    }

    [Fact]
    public void Definition_names_follow_upstream_packages()
    {
        var names = new DefinitionNames(ResourceCatalog.BuiltIn().Resources.Select(r => r.ModelType)
            .Concat([typeof(V1Scale), typeof(V1Eviction), typeof(Authenticationv1TokenRequest), typeof(V1DeleteOptions), typeof(V1WatchEvent)]));

        Assert.Equal("io.k8s.api.apps.v1.Deployment", names.For(typeof(V1Deployment)));
        Assert.Equal("io.k8s.api.core.v1.PodTemplateSpec", names.For(typeof(V1PodTemplateSpec)));
        Assert.Equal("io.k8s.api.core.v1.Event", names.For(typeof(Corev1Event)));
        Assert.Equal("io.k8s.api.events.v1.Event", names.For(typeof(Eventsv1Event)));
        Assert.Equal("io.k8s.api.discovery.v1.EndpointPort", names.For(typeof(Discoveryv1EndpointPort)));
        Assert.Equal("io.k8s.api.rbac.v1.Subject", names.For(typeof(Rbacv1Subject)));
        Assert.Equal("io.k8s.api.autoscaling.v1.Scale", names.For(typeof(V1Scale)));
        Assert.Equal("io.k8s.api.autoscaling.v2.MetricSpec", names.For(typeof(V2MetricSpec)));
        Assert.Equal("io.k8s.api.policy.v1.Eviction", names.For(typeof(V1Eviction)));
        Assert.Equal("io.k8s.api.authentication.v1.TokenRequest", names.For(typeof(Authenticationv1TokenRequest)));
        Assert.Equal("io.k8s.api.batch.v1.JobTemplateSpec", names.For(typeof(V1JobTemplateSpec)));
        Assert.Equal("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector", names.For(typeof(V1LabelSelector)));
        Assert.Equal("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", names.For(typeof(V1DeleteOptions)));
        Assert.Equal("io.k8s.apimachinery.pkg.apis.meta.v1.Condition", names.For(typeof(V1Condition)));
        Assert.Equal(DefinitionNames.IntOrString, names.For(typeof(IntOrString)));
        Assert.Equal(DefinitionNames.Quantity, names.For(typeof(ResourceQuantity)));

        // Two types under one name would make one schema silently replace the other.
        Assert.Equal(names.All.Count, names.All.Values.Distinct().Count());
        Assert.All(names.All.Values, name => Assert.Matches(@"^io\.k8s\.(api\.[a-z]+|apimachinery\.pkg\.apis\.meta)\.v[0-9]+((alpha|beta)[0-9]+)?\.[A-Z][A-Za-z0-9]*$", name));
    }

    [Fact]
    public void Every_reference_resolves_to_a_definition_of_the_same_document()
    {
        var documents = ResourceCatalog.BuiltIn().GroupVersions()
            .Select(gv => (Prefix: Schemas, Document: V3(OpenApiDocuments.GroupVersionPath(gv.Group, gv.Version))))
            .Append((Prefix: "#/definitions/", Document: V2()));
        foreach (var (prefix, document) in documents)
        {
            var definitions = (document["components"]?["schemas"] ?? document["definitions"])!.AsObject();
            foreach (var reference in References(document))
            {
                Assert.StartsWith(prefix, reference);
                Assert.True(definitions.ContainsKey(reference[prefix.Length..]), $"dangling {reference}");
            }
        }
    }

    [Fact]
    public void Descriptions_come_from_the_package_documentation()
    {
        Assert.True(ModelDocumentation.Embedded.Count > 4000, $"only {ModelDocumentation.Embedded.Count} descriptions embedded");
        Assert.Equal("A single application container that you want to run within a pod.", ModelDocumentation.Embedded.For(typeof(V1Container)));
        var generateName = ModelDocumentation.Embedded.For(typeof(V1ObjectMeta).GetProperty(nameof(V1ObjectMeta.GenerateName))!)!;
        Assert.StartsWith("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF", generateName);
        Assert.Contains("\n\nIf this field is specified and the generated name exists, the server will return a 409.\n\n", generateName);
    }

    [Fact]
    public void Wrapped_doc_lines_are_joined_and_paragraphs_kept()
    {
        Assert.Equal("one two\n\nthree", ModelDocumentation.Normalize("\n    one\n    two\n    \n    three\n    "));
        Assert.Equal("a\\b\tc\nd", ModelDocumentation.Unescape(@"a\\b\tc\nd"));
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
