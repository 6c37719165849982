using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>The pure delete path: what one delete does to a stored object.</summary>
public sealed class DeletionRulesTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ResourceDefinition R(string group, string plural) => Catalog.Find(group, group == "" ? "v1" : "v1", plural)!;

    private static JsonObject Pod(string? node = null, long? grace = 30, string phase = "Pending", string extraMetadata = "") => JsonNode.Parse($$$"""
        {"metadata":{"name":"p","namespace":"ns","uid":"u1","resourceVersion":"7","generation":1{{{extraMetadata}}}},
         "spec":{{{{(node is null ? "" : $"\"nodeName\":\"{node}\",")}}}{{{(grace is null ? "" : $"\"terminationGracePeriodSeconds\":{grace},")}}}"containers":[]},
         "status":{"phase":"{{{phase}}}"}}
        """)!.AsObject();

    private static JsonObject Plain(string extraMetadata = "") =>
        JsonNode.Parse($$$"""{"metadata":{"name":"o","namespace":"ns","uid":"u2","resourceVersion":"9","generation":3{{{extraMetadata}}}}}""")!.AsObject();

    private static JsonObject Metadata(DeletionStep step) => step switch
    {
        DeletionStep.Remove r => r.LastState["metadata"]!.AsObject(),
        DeletionStep.Mark m => m.Marked["metadata"]!.AsObject(),
        DeletionStep.Pending p => p.Current["metadata"]!.AsObject(),
        _ => throw new InvalidOperationException(),
    };

    private static string[] Finalizers(DeletionStep step) =>
        Metadata(step)["finalizers"]?.AsArray().Select(f => f!.GetValue<string>()).ToArray() ?? [];

    [Fact]
    public void A_bound_pod_is_marked_with_its_termination_grace_period()
    {
        var step = DeletionRules.Plan(R("", "pods"), Pod(node: "n1"), DeleteOptions.Default, Now);

        var marked = Assert.IsType<DeletionStep.Mark>(step);
        Assert.Equal("2026-01-02T03:04:35Z", Metadata(marked)["deletionTimestamp"]!.GetValue<string>());
        Assert.Equal(30, Metadata(marked)["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(2, Metadata(marked)["generation"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(null, 5L, "Pending", 5L)]
    [InlineData(null, -3L, "Pending", 1L)]
    [InlineData(null, null, "Pending", 30L)]
    public void The_request_grace_period_wins_and_a_negative_one_is_one_second(long? podGrace, long? requested, string phase, long expected)
    {
        var step = DeletionRules.Plan(R("", "pods"), Pod(node: "n1", grace: podGrace ?? 30, phase: phase), new DeleteOptions { GracePeriodSeconds = requested }, Now);

        Assert.Equal(expected, Metadata(Assert.IsType<DeletionStep.Mark>(step))["deletionGracePeriodSeconds"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(null, "Pending", 0L)]
    [InlineData("n1", "Succeeded", null)]
    [InlineData("n1", "Failed", null)]
    [InlineData("n1", "Running", 0L)]
    public void An_unbound_finished_or_zero_grace_pod_is_removed_at_once(string? node, string phase, long? requested)
    {
        var step = DeletionRules.Plan(R("", "pods"), Pod(node: node, phase: phase), new DeleteOptions { GracePeriodSeconds = requested }, Now);

        var removed = Assert.IsType<DeletionStep.Remove>(step);
        Assert.Equal(0, Metadata(removed)["deletionGracePeriodSeconds"]!.GetValue<long>());
    }

    [Fact]
    public void A_pod_being_deleted_may_only_have_its_grace_period_shortened()
    {
        var deleting = Pod(node: "n1", extraMetadata: ""","deletionTimestamp":"2026-01-02T03:04:35Z","deletionGracePeriodSeconds":30""");

        Assert.IsType<DeletionStep.Pending>(DeletionRules.Plan(R("", "pods"), deleting, DeleteOptions.Default, Now));
        Assert.IsType<DeletionStep.Pending>(DeletionRules.Plan(R("", "pods"), deleting, new DeleteOptions { GracePeriodSeconds = 60 }, Now));
        var shorter = Assert.IsType<DeletionStep.Mark>(DeletionRules.Plan(R("", "pods"), deleting, new DeleteOptions { GracePeriodSeconds = 10 }, Now));
        Assert.Equal("2026-01-02T03:04:15Z", Metadata(shorter)["deletionTimestamp"]!.GetValue<string>());
        var now = Assert.IsType<DeletionStep.Remove>(DeletionRules.Plan(R("", "pods"), deleting, new DeleteOptions { GracePeriodSeconds = 0 }, Now));
        Assert.Equal(0, Metadata(now)["deletionGracePeriodSeconds"]!.GetValue<long>());
    }

    [Fact]
    public void A_graceful_pod_with_finalizers_stays_even_at_grace_zero()
    {
        var step = DeletionRules.Plan(R("", "pods"), Pod(node: "n1", extraMetadata: ""","finalizers":["example.com/x"]"""), new DeleteOptions { GracePeriodSeconds = 0 }, Now);

        Assert.IsType<DeletionStep.Mark>(step);
    }

    [Fact]
    public void An_object_with_finalizers_is_marked_now_with_grace_zero_and_keeps_an_earlier_timestamp()
    {
        var first = Assert.IsType<DeletionStep.Mark>(DeletionRules.Plan(R("", "configmaps"), Plain(""","finalizers":["example.com/x"]"""), DeleteOptions.Default, Now));
        Assert.Equal("2026-01-02T03:04:05Z", Metadata(first)["deletionTimestamp"]!.GetValue<string>());
        Assert.Equal(4, Metadata(first)["generation"]!.GetValue<long>());

        var again = Assert.IsType<DeletionStep.Mark>(DeletionRules.Plan(R("", "configmaps"), first.Marked, DeleteOptions.Default, Now.AddMinutes(1)));
        Assert.Equal("2026-01-02T03:04:05Z", Metadata(again)["deletionTimestamp"]!.GetValue<string>());
        Assert.Equal(4, Metadata(again)["generation"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("batch", "jobs", null, "orphan")]
    [InlineData("", "replicationcontrollers", null, "orphan")]
    [InlineData("apps", "deployments", null, "")]
    [InlineData("batch", "jobs", "Background", "")]
    [InlineData("apps", "replicasets", "Foreground", "foregroundDeletion")]
    [InlineData("apps", "replicasets", "Orphan", "orphan")]
    public void The_garbage_collector_finalizers_follow_the_policy_else_the_kind_default(string group, string plural, string? policy, string finalizer)
    {
        var step = DeletionRules.Plan(R(group, plural), Plain(), new DeleteOptions { PropagationPolicy = policy }, Now);

        if (finalizer == "")
        {
            Assert.IsType<DeletionStep.Remove>(step);
        }
        else
        {
            Assert.IsType<DeletionStep.Mark>(step);
            Assert.Equal([finalizer], Finalizers(step));
        }
    }

    [Fact]
    public void The_deprecated_orphanDependents_and_an_existing_finalizer_choose_the_policy_too()
    {
        Assert.Equal(["orphan"], Finalizers(DeletionRules.Plan(R("apps", "deployments"), Plain(), new DeleteOptions { OrphanDependents = true }, Now)));
        Assert.IsType<DeletionStep.Remove>(DeletionRules.Plan(R("batch", "jobs"), Plain(), new DeleteOptions { OrphanDependents = false }, Now));
        Assert.Equal(["example.com/x", "orphan"], Finalizers(DeletionRules.Plan(R("apps", "deployments"), Plain(""","finalizers":["orphan","example.com/x"]"""), DeleteOptions.Default, Now)));
        Assert.Equal(["example.com/x", "foregroundDeletion"], Finalizers(DeletionRules.Plan(R("apps", "deployments"), Plain(""","finalizers":["orphan","example.com/x"]"""), new DeleteOptions { PropagationPolicy = "Foreground" }, Now)));
    }

    [Fact]
    public void Preconditions_that_do_not_match_are_conflicts()
    {
        var wrongUid = Assert.Throws<ApiException>(() => DeletionRules.Plan(R("", "configmaps"), Plain(), new DeleteOptions { PreconditionUid = "other" }, Now));
        Assert.Equal("Conflict", wrongUid.Reason);
        var wrongRv = Assert.Throws<ApiException>(() => DeletionRules.Plan(R("", "configmaps"), Plain(), new DeleteOptions { PreconditionResourceVersion = "8" }, Now));
        Assert.Equal("Conflict", wrongRv.Reason);
        Assert.IsType<DeletionStep.Remove>(DeletionRules.Plan(R("", "configmaps"), Plain(), new DeleteOptions { PreconditionUid = "u2", PreconditionResourceVersion = "9" }, Now));
    }

    [Fact]
    public void A_namespace_is_first_marked_Terminating_and_removed_only_once_finalized()
    {
        var ns = JsonNode.Parse("""{"metadata":{"name":"x","uid":"n1","resourceVersion":"3"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""")!.AsObject();

        var terminating = Assert.IsType<DeletionStep.Mark>(DeletionRules.Plan(R("", "namespaces"), ns, new DeleteOptions { PropagationPolicy = "Orphan" }, Now));
        Assert.Equal("Terminating", terminating.Marked["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(["orphan"], Finalizers(terminating));
        Assert.IsType<DeletionStep.Pending>(DeletionRules.Plan(R("", "namespaces"), terminating.Marked, DeleteOptions.Default, Now));

        var finalized = terminating.Marked.DeepClone().AsObject();
        finalized["spec"]!.AsObject().Remove("finalizers");
        Assert.IsType<DeletionStep.Mark>(DeletionRules.Plan(R("", "namespaces"), finalized, DeleteOptions.Default, Now));
        finalized["metadata"]!.AsObject().Remove("finalizers");
        Assert.IsType<DeletionStep.Remove>(DeletionRules.Plan(R("", "namespaces"), finalized, DeleteOptions.Default, Now));
    }
}
