using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore.Mvcc;
using Microsoft.Extensions.Time.Testing;

namespace LiteKube.ApiServer.Tests.Admission;

/// <summary>ServiceAccount admission of pod creates against a real object store: the lookup (and
/// its retries for <c>default</c>, on a fake clock), the Forbidden Statuses, automount.</summary>
public sealed class PodServiceAccountAdmissionTests : IAsyncDisposable
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();
    private static readonly ResourceDefinition Pods = Catalog.Find("", "v1", "pods")!;
    private static readonly ResourceDefinition ServiceAccounts = Catalog.Find("", "v1", "serviceaccounts")!;

    private readonly LocalStore _store = LocalStore.CreateInMemory();
    private readonly FakeTimeProvider _time = new();
    private readonly ObjectStore _objects;
    private readonly PodServiceAccountAdmission _admission;

    public PodServiceAccountAdmissionTests()
    {
        _objects = new ObjectStore(_store, _time);
        _admission = new PodServiceAccountAdmission(_objects, Catalog, _time);
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    private static JsonObject Pod(string spec = """{"containers":[{"name":"c","image":"nginx"}]}""", string name = "p") =>
        new() { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = JsonNode.Parse(spec) };

    private Task CreateServiceAccountAsync(string ns, string json) =>
        _objects.CreateAsync(ServiceAccounts, ns, JsonNode.Parse(json)!.AsObject(), CancellationToken.None);

    [Fact]
    public async Task A_pod_naming_a_missing_service_account_is_forbidden_after_one_lookup()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => _admission.AdmitCreateAsync(Pods, "x", Pod("""{"serviceAccountName":"ghost","containers":[{"name":"c"}]}"""), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.Code);
        Assert.Equal("Forbidden", error.Reason);
        Assert.Equal("pods \"p\" is forbidden: error looking up service account x/ghost: serviceaccount \"ghost\" not found", error.Message);
        Assert.Equal(("p", "pods"), (error.Details!.Name, error.Details.Kind));
    }

    [Fact]
    public async Task The_default_service_account_is_looked_up_for_nine_intervals_before_the_pod_is_refused()
    {
        var start = _time.GetUtcNow();
        var admitting = _admission.AdmitCreateAsync(Pods, "x", Pod(name: ""), CancellationToken.None);
        await RunClockUntilAsync(admitting);

        var error = await Assert.ThrowsAsync<ApiException>(() => admitting);
        Assert.Equal("pods is forbidden: error looking up service account x/default: serviceaccount \"default\" not found", error.Message);
        // Nine waits of 100–200 ms between ten lookups.
        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_pod_racing_the_service_account_controller_is_admitted_once_default_appears()
    {
        var pod = Pod();
        var admitting = _admission.AdmitCreateAsync(Pods, "x", pod, CancellationToken.None);
        Assert.False(admitting.IsCompleted);
        await CreateServiceAccountAsync("x", """{"metadata":{"name":"default"}}""");
        await RunClockUntilAsync(admitting);

        await admitting;
        Assert.Equal("default", pod["spec"]!["serviceAccountName"]!.ToString());
        Assert.Equal("default", pod["spec"]!["serviceAccount"]!.ToString());
        Assert.StartsWith("kube-api-access-", pod["spec"]!["volumes"]![0]!["name"]!.ToString());
    }

    [Fact]
    public async Task The_deprecated_service_account_field_names_the_account()
    {
        await CreateServiceAccountAsync("x", """{"metadata":{"name":"robot"}}""");
        var pod = Pod("""{"serviceAccount":"robot","containers":[{"name":"c"}]}""");

        await _admission.AdmitCreateAsync(Pods, "x", pod, CancellationToken.None);

        Assert.Equal("robot", pod["spec"]!["serviceAccountName"]!.ToString());
    }

    [Fact]
    public async Task No_token_is_mounted_when_the_service_account_or_the_pod_turns_automount_off()
    {
        await CreateServiceAccountAsync("x", """{"metadata":{"name":"quiet"},"automountServiceAccountToken":false}""");
        await CreateServiceAccountAsync("x", """{"metadata":{"name":"default"}}""");
        var bySa = Pod("""{"serviceAccountName":"quiet","containers":[{"name":"c"}]}""");
        var byPod = Pod("""{"automountServiceAccountToken":false,"containers":[{"name":"c"}]}""");
        var podOverrides = Pod("""{"serviceAccountName":"quiet","automountServiceAccountToken":true,"containers":[{"name":"c"}]}""");

        await _admission.AdmitCreateAsync(Pods, "x", bySa, CancellationToken.None);
        await _admission.AdmitCreateAsync(Pods, "x", byPod, CancellationToken.None);
        await _admission.AdmitCreateAsync(Pods, "x", podOverrides, CancellationToken.None);

        Assert.Null(bySa["spec"]!["volumes"]);
        Assert.Null(bySa["spec"]!["containers"]![0]!["volumeMounts"]);
        Assert.Null(byPod["spec"]!["volumes"]);
        Assert.Single(podOverrides["spec"]!["volumes"]!.AsArray());
    }

    [Fact]
    public async Task An_enforcing_service_account_refuses_a_pod_mounting_a_secret_it_does_not_list()
    {
        await CreateServiceAccountAsync("x", """{"metadata":{"name":"strict","annotations":{"kubernetes.io/enforce-mountable-secrets":"true"}},"secrets":[{"name":"ok"}]}""");
        var pod = Pod("""{"serviceAccountName":"strict","containers":[{"name":"c"}],"volumes":[{"name":"v","secret":{"secretName":"token-of-someone-else"}}]}""");

        var error = await Assert.ThrowsAsync<ApiException>(() => _admission.AdmitCreateAsync(Pods, "x", pod, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.Code);
        Assert.Equal("pods \"p\" is forbidden: volume with secret.secretName=\"token-of-someone-else\" is not allowed because service account strict does not reference that secret", error.Message);
    }

    [Fact]
    public async Task A_mirror_pod_is_not_changed_and_may_not_name_a_service_account()
    {
        var mirror = Pod();
        mirror["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "hash" };
        var before = mirror.ToJsonString();
        await _admission.AdmitCreateAsync(Pods, "x", mirror, CancellationToken.None);
        Assert.Equal(before, mirror.ToJsonString());

        mirror["spec"]!["serviceAccountName"] = "default";
        var error = await Assert.ThrowsAsync<ApiException>(() => _admission.AdmitCreateAsync(Pods, "x", mirror, CancellationToken.None));
        Assert.Equal("pods \"p\" is forbidden: a mirror pod may not reference service accounts", error.Message);
    }

    [Fact]
    public async Task Other_kinds_pass_untouched()
    {
        var deployment = Catalog.Find("apps", "v1", "deployments")!;
        var obj = Pod();
        await _admission.AdmitCreateAsync(deployment, "x", obj, CancellationToken.None);
        Assert.Null(obj["spec"]!["serviceAccountName"]);
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="task"/> is done
    /// (the lookup's datastore reads are asynchronous, so each step also yields).</summary>
    private async Task RunClockUntilAsync(Task task)
    {
        for (var step = 0; !task.IsCompleted && step < 10_000; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(1);
        }
    }
}
