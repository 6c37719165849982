using System.Net;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tests.Subresources;

/// <summary>pods/binding, pods/eviction, pods/log and pods/exec over HTTP.</summary>
public sealed class PodSubresourceTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    private static string Binding(string pod, string node, string kind = "Node") =>
        $$"""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"{{pod}}","annotations":{"scheduled-by":"test"} },"target":{"kind":"{{kind}}","name":"{{node}}"} }""";

    private static string Eviction(string pod) => $$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{pod}}"} }""";

    [Fact]
    public async Task A_binding_sets_the_node_once_and_a_second_binding_is_a_conflict()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("p"));

        var bound = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", Binding("p", "n1"));
        Assert.Equal(HttpStatusCode.Created, bound.Code);
        Assert.Equal("Success", bound.Body["status"]!.ToString());

        var pod = (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p")).Body;
        Assert.Equal("n1", pod["spec"]!["nodeName"]!.ToString());
        Assert.Equal("test", pod["metadata"]!["annotations"]!["scheduled-by"]!.ToString());
        var scheduled = pod["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.ToString() == "PodScheduled")!;
        Assert.Equal("True", scheduled["status"]!.ToString());

        var again = SharedServer.AssertStatus(HttpStatusCode.Conflict, "Conflict",
            await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", Binding("p", "n2")));
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"n1\"", again["message"]!.ToString());
        Assert.Equal("n1", (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p")).Body["spec"]!["nodeName"]!.ToString());
    }

    [Fact]
    public async Task Bad_bindings_are_refused_and_change_nothing()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("p"));
        var path = $"/api/v1/namespaces/{ns}/pods/p/binding";

        var kind = SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Post, path, Binding("p", "n1", kind: "Pod")));
        Assert.Equal("target.kind", kind["details"]!["causes"]![0]!["field"]!.ToString());
        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Post, path, Binding("p", "")));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Post, path, Binding("other", "n1")));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Post, path, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}"""));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Post, path, "{not json"));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/none/binding", Binding("none", "n1")));
        Assert.Null((await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p")).Body["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task An_eviction_without_a_budget_deletes_the_pod()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("p"));

        var evicted = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction("p"));

        Assert.Equal(HttpStatusCode.Created, evicted.Code);
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p"));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction("p")));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/q/eviction", Eviction("p")));
    }

    [Fact]
    public async Task A_budget_with_no_disruption_left_refuses_the_eviction_of_a_running_pod_with_429()
    {
        var ns = await fixture.NamespaceAsync();
        await RunningPodAsync(ns, "p", ready: true);
        await BudgetAsync(ns, "pdb", allowed: 0);

        var refused = SharedServer.AssertStatus((HttpStatusCode)429, "TooManyRequests",
            await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction("p")));

        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", refused["message"]!.ToString());
        var cause = refused["details"]!["causes"]![0]!;
        Assert.Equal("DisruptionBudget", cause["reason"]!.ToString());
        Assert.Equal("The disruption budget pdb needs 1 healthy pods and has 1 currently", cause["message"]!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p")).Code);
    }

    [Fact]
    public async Task An_allowed_eviction_spends_one_disruption_and_records_the_pod()
    {
        var ns = await fixture.NamespaceAsync();
        await RunningPodAsync(ns, "p", ready: true);
        await BudgetAsync(ns, "pdb", allowed: 1);

        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction("p"))).Code);

        var budget = (await fixture.SendAsync(HttpMethod.Get, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/pdb")).Body;
        Assert.Equal(0, budget["status"]!["disruptionsAllowed"]!.GetValue<int>());
        Assert.NotNull(budget["status"]!["disruptedPods"]!["p"]);
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p"));
    }

    [Fact]
    public async Task Pending_and_unready_pods_may_go_whatever_the_budget_and_two_budgets_are_an_error()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("pending", """{"app":"x"}"""));
        await RunningPodAsync(ns, "unready", ready: false);
        await RunningPodAsync(ns, "ready", ready: true);
        await BudgetAsync(ns, "pdb", allowed: 0, unhealthyPolicy: "AlwaysAllow");

        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/pending/eviction", Eviction("pending"))).Code);
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/unready/eviction", Eviction("unready"))).Code);

        await BudgetAsync(ns, "second", allowed: 5);
        SharedServer.AssertStatus(HttpStatusCode.InternalServerError, "InternalError",
            await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/ready/eviction", Eviction("ready")));
    }

    [Fact]
    public async Task Log_and_exec_say_why_they_cannot_be_served_instead_of_inventing_output()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("p"));
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            SharedServer.Pod("two", containers: """[{"name":"a","image":"nginx"},{"name":"b","image":"nginx"}]"""));

        var unbound = SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p/log"));
        Assert.Equal("pod p does not have a host assigned", unbound["message"]!.ToString());
        var choose = SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/two/log"));
        Assert.Equal("a container name must be specified for pod two, choose one of: [a b]", choose["message"]!.ToString());
        var wrong = SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p/log?container=zz"));
        Assert.Equal("container zz is not valid for pod p", wrong["message"]!.ToString());
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/none/log"));

        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", Binding("p", "n1"));
        var noAgent = SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p/log?container=c"));
        Assert.Contains("no agent runs pod p", noAgent["message"]!.ToString());
        Assert.Contains("\"n1\"", noAgent["message"]!.ToString());

        var exec = SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest",
            await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/exec?command=ls&stdout=true"));
        Assert.Contains("no agent runs pod p", exec["message"]!.ToString());
        var noCommand = SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest",
            await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p/exec?stdout=true"));
        Assert.Equal("you must specify at least one command for the container", noCommand["message"]!.ToString());
    }

    /// <summary>A pod with label app=x that the agent would have reported Running.</summary>
    private async Task RunningPodAsync(string ns, string name, bool ready)
    {
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod(name, """{"app":"x"}"""))).Code);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            },
        };
        var patched = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/{name}/status", status.ToJsonString(), "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.Code);
    }

    /// <summary>A budget over app=x whose controller has computed the given allowance.</summary>
    private async Task BudgetAsync(string ns, string name, int allowed, string? unhealthyPolicy = null)
    {
        var policy = unhealthyPolicy is null ? "" : $$""","unhealthyPodEvictionPolicy":"{{unhealthyPolicy}}" """;
        var created = await fixture.SendAsync(HttpMethod.Post, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            $$"""{"metadata":{"name":"{{name}}"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"x"} }{{policy}}} }""");
        Assert.True(created.Code == HttpStatusCode.Created, created.Body.ToJsonString());
        var status = $$"""{"status":{"observedGeneration":1,"disruptionsAllowed":{{allowed}},"currentHealthy":1,"desiredHealthy":1,"expectedPods":1} }""";
        var patched = await fixture.SendAsync(HttpMethod.Patch, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/{name}/status", status, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.Code);
    }
}
