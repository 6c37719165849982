using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;

namespace LiteKube.ApiServer.Tests.Admission;

/// <summary>The pure parts of ServiceAccount admission: the token volume and mounts, automount
/// precedence, mirror pods, mountable secrets.</summary>
public sealed class PodServiceAccountRulesTests
{
    private static JsonObject Spec(string json) => JsonNode.Parse(json)!.AsObject();

    private static Func<string> Suffixes(params string[] suffixes)
    {
        var queue = new Queue<string>(suffixes);
        return () => queue.Dequeue();
    }

    [Fact]
    public void The_token_volume_is_upstreams_projection_and_every_container_mounts_it_read_only()
    {
        var spec = Spec("""{"initContainers":[{"name":"i"}],"containers":[{"name":"a"},{"name":"b","volumeMounts":[{"name":"data","mountPath":"/data"}]}]}""");

        PodServiceAccountRules.MountToken(spec, Suffixes("x7k2q"));

        var volume = Assert.Single(spec["volumes"]!.AsArray())!;
        Assert.Equal("kube-api-access-x7k2q", volume["name"]!.ToString());
        Assert.Equal(
            """{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},{"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}]}""",
            volume["projected"]!.ToJsonString());
        const string mount = """{"name":"kube-api-access-x7k2q","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}""";
        Assert.Equal($"[{mount}]", spec["initContainers"]![0]!["volumeMounts"]!.ToJsonString());
        Assert.Equal($"[{mount}]", spec["containers"]![0]!["volumeMounts"]!.ToJsonString());
        Assert.Equal($$"""[{"name":"data","mountPath":"/data"},{{mount}}]""", spec["containers"]![1]!["volumeMounts"]!.ToJsonString());
    }

    [Fact]
    public void A_container_with_something_mounted_at_the_token_path_keeps_it()
    {
        var spec = Spec("""{"containers":[{"name":"a","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],"volumes":[{"name":"own","emptyDir":{}}]}""");

        PodServiceAccountRules.MountToken(spec, Suffixes("aaaaa"));

        Assert.Equal("""[{"name":"own","emptyDir":{}}]""", spec["volumes"]!.ToJsonString());
        Assert.Single(spec["containers"]![0]!["volumeMounts"]!.AsArray());
    }

    [Fact]
    public void User_volumes_named_near_the_prefix_are_not_mistaken_for_the_token_volume()
    {
        var spec = Spec("""{"containers":[{"name":"a"}],"volumes":[{"name":"kube-api-access","emptyDir":{}},{"name":"my-kube-api-access-x","emptyDir":{}}]}""");

        PodServiceAccountRules.MountToken(spec, Suffixes("bbbbb"));

        Assert.Equal(["kube-api-access", "my-kube-api-access-x", "kube-api-access-bbbbb"], spec["volumes"]!.AsArray().Select(v => v!["name"]!.ToString()));
    }

    [Fact]
    public void A_volume_already_named_kube_api_access_is_taken_as_the_token_volume_as_upstream_does()
    {
        // What a pod copied from another pod's yaml carries: its volume is mounted, none is added.
        var spec = Spec("""{"containers":[{"name":"a"}],"volumes":[{"name":"kube-api-access-old12","emptyDir":{}}]}""");

        PodServiceAccountRules.MountToken(spec, Suffixes("never", "never"));

        Assert.Single(spec["volumes"]!.AsArray());
        Assert.Equal("kube-api-access-old12", spec["containers"]![0]!["volumeMounts"]![0]!["name"]!.ToString());
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    [InlineData(false, null, false)]
    public void The_pods_automount_setting_wins_over_the_service_accounts(bool? pod, bool? serviceAccount, bool mounted)
    {
        var spec = new JsonObject();
        var sa = new JsonObject();
        if (pod is not null)
        {
            spec["automountServiceAccountToken"] = pod;
        }

        if (serviceAccount is not null)
        {
            sa["automountServiceAccountToken"] = serviceAccount;
        }

        Assert.Equal(mounted, PodServiceAccountRules.ShouldAutomount(spec, sa));
    }

    [Theory]
    [InlineData("""{"serviceAccountName":"default","containers":[{"name":"a"}]}""", "a mirror pod may not reference service accounts")]
    [InlineData("""{"containers":[{"name":"a","env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}]}""", "a mirror pod may not reference secrets")]
    [InlineData("""{"containers":[{"name":"a"}],"volumes":[{"name":"v","projected":{"sources":[{"secret":{"name":"s"}}]}}]}""", "a mirror pod may not reference secrets")]
    [InlineData("""{"containers":[{"name":"a"}],"volumes":[{"name":"v","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}]}""", "a mirror pod may not use ServiceAccountToken volume projections")]
    [InlineData("""{"containers":[{"name":"a"}],"volumes":[{"name":"v","emptyDir":{}}]}""", null)]
    public void Mirror_pods_may_reference_no_service_account_secret_or_token(string spec, string? violation)
    {
        Assert.Equal(violation, PodServiceAccountRules.MirrorPodViolation(Spec(spec)));
    }

    [Theory]
    [InlineData("""{"volumes":[{"name":"v","secret":{"secretName":"other"}}]}""", "volume with secret.secretName=\"other\" is not allowed because service account robot does not reference that secret")]
    [InlineData("""{"initContainers":[{"name":"i","env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"other","key":"k"}}}]}]}""", "init container i with envVar E referencing secret.secretName=\"other\" is not allowed because service account robot does not reference that secret")]
    [InlineData("""{"containers":[{"name":"c","envFrom":[{"secretRef":{"name":"other"}}]}]}""", "container c with envFrom referencing secret.secretName=\"other\" is not allowed because service account robot does not reference that secret")]
    [InlineData("""{"imagePullSecrets":[{"name":"pull"},{"name":"other"}]}""", "imagePullSecrets[1].name=\"other\" is not allowed because service account robot does not reference that imagePullSecret")]
    [InlineData("""{"volumes":[{"name":"v","secret":{"secretName":"allowed"}}],"containers":[{"name":"c","envFrom":[{"secretRef":{"name":"allowed"}}]}],"imagePullSecrets":[{"name":"pull"}]}""", null)]
    public void An_enforcing_service_account_limits_the_secrets_a_pod_references(string spec, string? violation)
    {
        var sa = Spec("""{"metadata":{"name":"robot","annotations":{"kubernetes.io/enforce-mountable-secrets":"true"}},"secrets":[{"name":"allowed"}],"imagePullSecrets":[{"name":"pull"}]}""");
        Assert.True(PodServiceAccountRules.EnforcesMountableSecrets(sa));
        Assert.Equal(violation, PodServiceAccountRules.SecretReferenceViolation(sa, Spec(spec)));
    }

    [Theory]
    [InlineData("""{"metadata":{"annotations":{"kubernetes.io/enforce-mountable-secrets":"false"}}}""")]
    [InlineData("""{"metadata":{"annotations":{"kubernetes.io/enforce-mountable-secrets":"yes please"}}}""")]
    [InlineData("""{"metadata":{}}""")]
    public void Only_a_true_annotation_enforces_mountable_secrets(string sa)
    {
        Assert.False(PodServiceAccountRules.EnforcesMountableSecrets(Spec(sa)));
    }

    [Fact]
    public void A_pod_without_pull_secrets_inherits_the_service_accounts_and_one_with_its_own_keeps_them()
    {
        var sa = Spec("""{"imagePullSecrets":[{"name":"registry"}]}""");
        var bare = new JsonObject();
        var own = Spec("""{"imagePullSecrets":[{"name":"mine"}]}""");

        PodServiceAccountRules.InheritImagePullSecrets(bare, sa);
        PodServiceAccountRules.InheritImagePullSecrets(own, sa);

        Assert.Equal("""[{"name":"registry"}]""", bare["imagePullSecrets"]!.ToJsonString());
        Assert.Equal("""[{"name":"mine"}]""", own["imagePullSecrets"]!.ToJsonString());
    }
}
