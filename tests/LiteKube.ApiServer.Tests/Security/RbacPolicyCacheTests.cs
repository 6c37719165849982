using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Security.Rbac;
using Microsoft.Extensions.Logging.Abstractions;
using static LiteKube.ApiServer.Tests.Security.RbacPolicyBuilder;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>The cache over a real (in-memory) datastore: what it sees, and how soon.</summary>
public sealed class RbacPolicyCacheTests : IAsyncLifetime
{
    private const string Rbac = "rbac.authorization.k8s.io";
    private static readonly UserInfo Bob = Person("bob");

    private readonly StoreFixture _store = new();
    private RbacPolicyCache _cache = null!;

    public async Task InitializeAsync()
    {
        await RbacBootstrap.EnsureAsync(_store.Objects, _store.Catalog, CancellationToken.None);
        _cache = new RbacPolicyCache(_store.Store, _store.Objects, _store.Catalog, TimeProvider.System, NullLogger<RbacPolicyCache>.Instance);
        await _cache.StartAsync(CancellationToken.None);
    }

    private async Task<bool> BobCanListPodsAsync(string ns) =>
        RbacAuthorizer.Authorize(await _cache.GetFreshAsync(CancellationToken.None), Request(Bob, "list", "pods", ns)).Allowed;

    [Fact]
    public async Task The_first_snapshot_holds_the_default_roles()
    {
        var policy = await _cache.GetAsync(CancellationToken.None);

        Assert.True(RbacAuthorizer.Authorize(policy, PathRequest(Bob, "get", "/apis")).Allowed);
        Assert.True(policy.Revision > 0);
    }

    [Fact]
    public async Task A_new_role_binding_is_seen_by_the_next_fresh_snapshot_and_a_deleted_one_is_forgotten()
    {
        Assert.False(await BobCanListPodsAsync("default"));

        await _store.CreateAsync(Rbac, "rolebindings", "default", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"bob-view"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"User","name":"bob"}]}
            """);
        Assert.True(await BobCanListPodsAsync("default"));
        Assert.False(await BobCanListPodsAsync("kube-system"));

        await _store.DeleteAsync(Rbac, "rolebindings", "default", "bob-view");
        Assert.False(await BobCanListPodsAsync("default"));
    }

    [Fact]
    public async Task A_changed_role_changes_what_its_bindings_grant()
    {
        await _store.CreateAsync(Rbac, "roles", "default", """
            {"metadata":{"name":"pods"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["list"]}]}
            """);
        await _store.CreateAsync(Rbac, "rolebindings", "default", """
            {"metadata":{"name":"bob-pods"},"roleRef":{"kind":"Role","name":"pods"},"subjects":[{"kind":"User","name":"bob"}]}
            """);
        Assert.False(await BobCanListPodsAsync("default"));

        await _store.Objects.UpdateAsync(_store.Resource(Rbac, "roles"), "default", "pods", role =>
        {
            role["rules"]![0]!["resources"] = new System.Text.Json.Nodes.JsonArray("pods");
            return role;
        }, CancellationToken.None);

        Assert.True(await BobCanListPodsAsync("default"));
    }

    [Fact]
    public async Task Bootstrap_is_idempotent_and_restores_rules_removed_from_an_auto_updated_role()
    {
        var view = _store.Resource(Rbac, "clusterroles");
        await _store.Objects.UpdateAsync(view, "", "view", role =>
        {
            role["rules"] = new System.Text.Json.Nodes.JsonArray();
            return role;
        }, CancellationToken.None);

        await RbacBootstrap.EnsureAsync(_store.Objects, _store.Catalog, CancellationToken.None);
        await RbacBootstrap.EnsureAsync(_store.Objects, _store.Catalog, CancellationToken.None);

        var restored = await _store.Objects.GetAsync(view, "", "view", CancellationToken.None);
        Assert.Equal(DefaultClusterRoles.Roles.Single(r => r.Name == "view").Rules.Count, restored["rules"]!.AsArray().Count);
    }

    [Fact]
    public async Task Bootstrap_leaves_a_default_role_alone_when_its_auto_update_annotation_is_false()
    {
        var view = _store.Resource(Rbac, "clusterroles");
        await _store.Objects.UpdateAsync(view, "", "view", role =>
        {
            role["rules"] = new System.Text.Json.Nodes.JsonArray();
            role["metadata"]!["annotations"]![RbacBootstrap.AutoUpdateAnnotation] = "false";
            return role;
        }, CancellationToken.None);

        await RbacBootstrap.EnsureAsync(_store.Objects, _store.Catalog, CancellationToken.None);

        Assert.Empty((await _store.Objects.GetAsync(view, "", "view", CancellationToken.None))["rules"]!.AsArray());
    }

    public async Task DisposeAsync()
    {
        await _cache.StopAsync(CancellationToken.None);
        _cache.Dispose();
        await _store.DisposeAsync();
    }
}
