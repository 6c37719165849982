using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>The rules every write of an existing object obeys.</summary>
public sealed class FinalizerRulesTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();
    private static readonly ResourceDefinition ConfigMaps = Catalog.Find("", "v1", "configmaps")!;
    private static readonly ResourceDefinition Namespaces = Catalog.Find("", "v1", "namespaces")!;

    private static JsonObject Obj(string metadata, string rest = "") => JsonNode.Parse($$$"""{"metadata":{"name":"o"{{{metadata}}}}{{{rest}}}}""")!.AsObject();

    [Theory]
    [InlineData(""","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":0,"finalizers":["a"]""", "", true)]
    [InlineData(""","deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["a"]""", "", true)]
    [InlineData(""","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":0,"finalizers":["a"]""", ""","finalizers":["b"]""", false)]
    [InlineData(""","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":30,"finalizers":["a"]""", "", false)]
    [InlineData(""","finalizers":["a"]""", "", false)]
    [InlineData(""","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":0""", "", false)]
    public void Only_emptying_the_finalizers_of_an_object_waiting_for_them_removes_it(string before, string after, bool removes)
    {
        Assert.Equal(removes, FinalizerRules.RemovesOnWrite(ConfigMaps, Obj(before), Obj(after)));
    }

    [Fact]
    public void A_namespace_also_waits_for_its_spec_finalizers()
    {
        var before = Obj(""","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":0,"finalizers":["orphan"]""", ""","spec":{"finalizers":["kubernetes"]}""");

        Assert.False(FinalizerRules.RemovesOnWrite(Namespaces, before, Obj("", ""","spec":{"finalizers":["kubernetes"]}""")));
        Assert.True(FinalizerRules.RemovesOnWrite(Namespaces, before, Obj("", ""","spec":{}""")));
    }

    [Fact]
    public void The_deletion_fields_are_kept_from_the_stored_object()
    {
        var stored = Obj(""","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":0,"finalizers":["a"]""");
        var sent = Obj(""","deletionTimestamp":"2030-01-01T00:00:00Z","finalizers":["a"]""");

        FinalizerRules.Guard(ConfigMaps, stored, sent);

        Assert.Equal("2026-01-01T00:00:00Z", sent["metadata"]!["deletionTimestamp"]!.GetValue<string>());
        Assert.Equal(0, sent["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());

        var fresh = Obj(""","deletionTimestamp":"2030-01-01T00:00:00Z" """);
        FinalizerRules.Guard(ConfigMaps, Obj(""), fresh);
        Assert.Null(fresh["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public void New_finalizers_on_an_object_being_deleted_and_a_changed_grace_period_are_invalid()
    {
        var stored = Obj(""","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":0,"finalizers":["a"]""");

        var added = Assert.Throws<ApiException>(() => FinalizerRules.Guard(ConfigMaps, stored, Obj(""","finalizers":["a","b"]""")));
        Assert.Equal("Invalid", added.Reason);
        Assert.Contains("found new finalizers []string{\"b\"}", added.Message);
        var grace = Assert.Throws<ApiException>(() => FinalizerRules.Guard(ConfigMaps, stored, Obj(""","deletionGracePeriodSeconds":5,"finalizers":["a"]""")));
        Assert.Contains("metadata.deletionGracePeriodSeconds", grace.Message);

        FinalizerRules.Guard(ConfigMaps, stored, Obj(""","finalizers":["a"]"""));
        FinalizerRules.Guard(ConfigMaps, Obj(""","finalizers":["a"]"""), Obj(""","finalizers":["a","b"]"""));
    }

    [Fact]
    public void A_namespace_keeps_its_spec_finalizers_and_stays_Terminating()
    {
        var stored = Obj(""","deletionTimestamp":"2026-01-01T00:00:00Z" """, ""","spec":{"finalizers":["kubernetes"]},"status":{"phase":"Terminating"}""");
        var sent = Obj("", ""","spec":{},"status":{"phase":"Active"}""");

        FinalizerRules.Guard(Namespaces, stored, sent);

        Assert.Equal("kubernetes", sent["spec"]!["finalizers"]![0]!.GetValue<string>());
        Assert.Equal("Terminating", sent["status"]!["phase"]!.GetValue<string>());
    }
}
