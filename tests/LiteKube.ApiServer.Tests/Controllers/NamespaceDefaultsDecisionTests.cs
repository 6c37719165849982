using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry.Controllers;

namespace LiteKube.ApiServer.Tests.Controllers;

/// <summary>The ServiceAccount controller's and the root CA publisher's decisions on small views,
/// written as the steps each world leads to ("CreateServiceAccount x").</summary>
public sealed class NamespaceDefaultsDecisionTests
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static JsonObject Namespace(string name, bool terminating = false)
    {
        var ns = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["uid"] = "uid-" + name },
            ["status"] = new JsonObject { ["phase"] = terminating ? "Terminating" : "Active" },
        };
        if (terminating)
        {
            ns["metadata"]!["deletionTimestamp"] = "2026-01-01T00:00:00Z";
        }

        return ns;
    }

    private static JsonObject Named(string ns, string name, JsonObject? data = null, string? description = RootCaPublisher.Description)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = $"uid-{ns}-{name}" };
        if (description is not null)
        {
            metadata["annotations"] = new JsonObject { [RootCaPublisher.DescriptionAnnotation] = description };
        }

        var obj = new JsonObject { ["metadata"] = metadata };
        if (data is not null)
        {
            obj["data"] = data;
        }

        return obj;
    }

    private static JsonObject RootCa(string ns, JsonObject? data = null, string? description = RootCaPublisher.Description) =>
        Named(ns, RootCaPublisher.ConfigMapName, data ?? new JsonObject { ["ca.crt"] = Ca }, description);

    private static NamespaceDefaultsView View(JsonObject[] namespaces, JsonObject[]? serviceAccounts = null, JsonObject[]? configMaps = null)
    {
        var view = new NamespaceDefaultsView();
        view.Reset(ObservedKind.Namespace, namespaces);
        view.Reset(ObservedKind.ServiceAccount, serviceAccounts ?? []);
        view.Reset(ObservedKind.ConfigMap, configMaps ?? []);
        return view;
    }

    private static string[] Trace(IEnumerable<NamespaceDefaultsAction> actions) =>
        [.. actions.Select(a => $"{a.GetType().Name} {a.Namespace}").Order(StringComparer.Ordinal)];

    private static string[] Accounts(NamespaceDefaultsView view) => Trace(ServiceAccountController.Decide(view));

    private static string[] Maps(NamespaceDefaultsView view) => Trace(RootCaPublisher.Decide(view, Ca));

    [Fact]
    public void Every_active_namespace_without_a_default_service_account_gets_one()
    {
        var view = View([Namespace("a"), Namespace("b"), Namespace("c")], [Named("b", "default"), Named("c", "robot")]);
        Assert.Equal(["CreateServiceAccount a", "CreateServiceAccount c"], Accounts(view));
    }

    [Fact]
    public void Nothing_is_created_in_a_terminating_namespace()
    {
        var view = View([Namespace("gone", terminating: true)]);
        Assert.Empty(Accounts(view));
        Assert.Empty(Maps(view));
    }

    [Fact]
    public void A_deleted_default_service_account_is_created_again()
    {
        var view = View([Namespace("a")], [Named("a", "default")]);
        Assert.Empty(Accounts(view));
        view.Observe(ObservedKind.ServiceAccount, Named("a", "default"), deleted: true);
        Assert.Equal(["CreateServiceAccount a"], Accounts(view));
    }

    [Fact]
    public void A_namespace_that_starts_terminating_gets_nothing_more()
    {
        var view = View([Namespace("a")]);
        view.Observe(ObservedKind.Namespace, Namespace("a", terminating: true), deleted: false);
        Assert.Empty(Accounts(view));
        view.Observe(ObservedKind.Namespace, Namespace("a"), deleted: true);
        Assert.Empty(Maps(view));
    }

    [Fact]
    public void A_namespace_without_the_root_ca_config_map_gets_it()
    {
        var view = View([Namespace("a"), Namespace("b")], configMaps: [RootCa("b"), Named("a", "other", new JsonObject { ["ca.crt"] = Ca })]);
        Assert.Equal(["CreateRootCaMap a"], Maps(view));
    }

    [Fact]
    public void A_current_root_ca_config_map_is_left_alone()
    {
        Assert.Empty(Maps(View([Namespace("a")], configMaps: [RootCa("a")])));
    }

    [Theory]
    [InlineData("edited")]
    [InlineData("extra-key")]
    [InlineData("no-key")]
    [InlineData("no-description")]
    [InlineData("empty-description")]
    public void A_changed_root_ca_config_map_is_restored(string change)
    {
        var map = change switch
        {
            "edited" => RootCa("a", new JsonObject { ["ca.crt"] = "not a CA" }),
            "extra-key" => RootCa("a", new JsonObject { ["ca.crt"] = Ca, ["more"] = "x" }),
            "no-key" => RootCa("a", new JsonObject()),
            "no-description" => RootCa("a", description: null),
            _ => RootCa("a", description: ""),
        };
        Assert.Equal(["RestoreRootCaMap a"], Maps(View([Namespace("a")], configMaps: [map])));
    }

    [Fact]
    public void A_deleted_root_ca_config_map_is_created_again()
    {
        var view = View([Namespace("a")], configMaps: [RootCa("a")]);
        view.Observe(ObservedKind.ConfigMap, RootCa("a"), deleted: true);
        Assert.Equal(["CreateRootCaMap a"], Maps(view));
    }

    [Fact]
    public void Restoring_replaces_the_data_and_sets_the_description_but_keeps_other_metadata()
    {
        var map = RootCa("a", new JsonObject { ["ca.crt"] = "old", ["extra"] = "x" }, description: null);
        map["metadata"]!["labels"] = new JsonObject { ["team"] = "blue" };
        map["metadata"]!["annotations"] = new JsonObject { ["note"] = "mine" };
        map["binaryData"] = new JsonObject { ["blob"] = "AAEC" };

        Assert.True(NamespaceDefaultsExecutor.Restore(map, Ca));

        Assert.Equal(new JsonObject { ["ca.crt"] = Ca }.ToJsonString(), map["data"]!.ToJsonString());
        Assert.Equal("blue", map["metadata"]!["labels"]!["team"]!.ToString());
        Assert.Equal("mine", map["metadata"]!["annotations"]!["note"]!.ToString());
        Assert.Equal(RootCaPublisher.Description, map["metadata"]!["annotations"]![RootCaPublisher.DescriptionAnnotation]!.ToString());
        Assert.Equal("AAEC", map["binaryData"]!["blob"]!.ToString());
        Assert.False(NamespaceDefaultsExecutor.Restore(map, Ca));
    }

    [Fact]
    public void The_created_objects_are_upstreams()
    {
        Assert.Equal("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default"}}""", NamespaceDefaultsExecutor.NewServiceAccount().ToJsonString());
        var map = NamespaceDefaultsExecutor.NewRootCaMap(Ca);
        Assert.Equal(Ca, map["data"]!["ca.crt"]!.ToString());
        Assert.StartsWith("Contains a CA bundle that can be used to verify the kube-apiserver", map["metadata"]!["annotations"]!["kubernetes.io/description"]!.ToString());
        Assert.True(RootCaPublisher.IsCurrent(RootCaMapFact.Of(map), Ca));
    }
}
