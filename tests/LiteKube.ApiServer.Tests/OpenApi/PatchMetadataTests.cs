using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using LiteKube.ApiServer.OpenApi;

namespace LiteKube.ApiServer.Tests.OpenApi;

/// <summary>The merge-rules table that strategic merge patch and the schemas share.</summary>
public sealed class PatchMetadataTests
{
    [Fact]
    public void Lookup_gives_strategy_merge_key_and_list_type_of_upstream()
    {
        var containers = PatchMetadata.For(typeof(V1PodSpec), "containers")!;
        Assert.True(containers.MergesList);
        Assert.Equal("name", containers.MergeKey);
        Assert.Equal("map", containers.ListType);

        Assert.Equal(["containerPort", "protocol"], PatchMetadata.For(typeof(V1Container), "ports")!.ListMapKeys);
        Assert.Equal("mountPath", PatchMetadata.For(typeof(V1Container), "volumeMounts")!.MergeKey);
        Assert.Equal("name", PatchMetadata.For(typeof(V1EphemeralContainer), "env")!.MergeKey);
        Assert.Equal("port", PatchMetadata.For(typeof(V1ServiceSpec), "ports")!.MergeKey);
        Assert.Equal("type", PatchMetadata.For(typeof(V1DeploymentStatus), "conditions")!.MergeKey);
        Assert.Equal("uid", PatchMetadata.For(typeof(V1ObjectMeta), "ownerReferences")!.MergeKey);

        var finalizers = PatchMetadata.For(typeof(V1ObjectMeta), "finalizers")!;
        Assert.True(finalizers.MergesList);
        Assert.Null(finalizers.MergeKey);

        Assert.True(PatchMetadata.For(typeof(V1PodSpec), "volumes")!.RetainsKeys);
        Assert.True(PatchMetadata.For(typeof(V1DeploymentSpec), "strategy")!.RetainsKeys);

        // Upstream gives tolerations no strategy: a strategic merge patch replaces the list.
        var tolerations = PatchMetadata.For(typeof(V1PodSpec), "tolerations")!;
        Assert.False(tolerations.MergesList);
        Assert.Equal("atomic", tolerations.ListType);
        Assert.Null(PatchMetadata.For(typeof(V1PodSpec), "nodeName"));
        Assert.Null(PatchMetadata.For(typeof(V1PodSpec), "noSuchField"));
    }

    [Fact]
    public void Every_entry_is_a_field_of_its_type_and_its_keys_are_fields_of_the_items()
    {
        foreach (var (type, field, rules) in PatchMetadata.All)
        {
            var property = type.GetProperties().Single(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == field);
            var propertyType = property.PropertyType;
            var item = propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IList<>) ? propertyType.GetGenericArguments()[0] : null;
            if (rules.ListType is null && !rules.MergesList)
            {
                Assert.True(rules.RetainsKeys, $"{type.Name}.{field} has no rule");
                continue;
            }

            Assert.True(item is not null, $"{type.Name}.{field} has a list rule but is a {propertyType.Name}");
            foreach (var key in rules.ListMapKeys.Concat(rules.MergeKey is null ? [] : [rules.MergeKey]))
            {
                Assert.True(item!.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == key),
                    $"{type.Name}.{field}: key {key} is not a field of {item.Name}");
            }

            // Objects merge by key; primitives merge as sets.
            if (rules.MergesList)
            {
                Assert.Equal(item!.IsClass && item != typeof(string), rules.MergeKey is not null);
            }
        }
    }
}
