using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Tests.Admission;

public sealed class AdmissionRulesTests
{
    [Fact]
    public void Unknown_fields_are_found_at_every_depth_but_map_keys_are_free()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"p","labels":{"any-key":"x"},"bogus":1},
             "spec":{"containers":[{"name":"c","image":"i","colour":"red","env":[{"name":"A","vaule":"typo"}]}]},
             "extra":true}
            """)!.AsObject();
        Assert.Equal(["metadata.bogus", "spec.containers[0].colour", "spec.containers[0].env[0].vaule", "extra"], UnknownFields.Find(pod, typeof(V1Pod)));
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("registry:5000/team/app", "Always")]
    [InlineData("registry:5000/team/app:v2", "IfNotPresent")]
    [InlineData("app@sha256:abc", "IfNotPresent")]
    public void Image_pull_policy_defaults_by_tag(string image, string expected) =>
        Assert.Equal(expected, PodTemplateRules.PullPolicyFor(image));

    [Fact]
    public void A_pod_without_containers_and_a_bad_name_reports_every_error()
    {
        var chain = new AdmissionChain(AdmissionChain.BuiltIn());
        var errors = new List<FieldError>();
        var pod = JsonNode.Parse("""{"metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"a"},{"name":"a","image":"x","ports":[{"containerPort":70000}]}]}}""")!.AsObject();
        MetadataValidation.Validate("Pod", pod["metadata"]!.AsObject(), errors);
        new PodStrategy().Validate(pod, errors);
        Assert.Equal(["metadata.name", "spec.containers[0].image", "spec.containers[1].name", "spec.containers[1].ports[0].containerPort"], errors.Select(e => e.Field));
        Assert.NotNull(chain);
    }

    [Fact]
    public void A_deployment_whose_selector_misses_its_template_is_invalid()
    {
        var errors = new List<FieldError>();
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"a"}},
             "template":{"metadata":{"labels":{"app":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """)!.AsObject();
        new WorkloadStrategy("Deployment").Validate(deployment, errors);
        Assert.Equal("spec.template.metadata.labels", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_cronjob_gets_upstreams_defaults()
    {
        var cronJob = JsonNode.Parse("""
            {"metadata":{"name":"c"},"spec":{"schedule":"*/5 * * * *",
             "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox:1.36"}]}}}}}}
            """)!.AsObject();
        var strategy = new CronJobStrategy();
        strategy.Default(cronJob);
        var errors = new List<FieldError>();
        strategy.Validate(cronJob, errors);
        Assert.Empty(errors);
        var spec = cronJob["spec"]!;
        Assert.Equal(("Allow", false, 3, 1), (spec["concurrencyPolicy"]!.GetValue<string>(), spec["suspend"]!.GetValue<bool>(),
            spec["successfulJobsHistoryLimit"]!.GetValue<int>(), spec["failedJobsHistoryLimit"]!.GetValue<int>()));
        Assert.Equal("OnFailure", spec["jobTemplate"]!["spec"]!["template"]!["spec"]!["restartPolicy"]!.GetValue<string>());
        Assert.Equal("ClusterFirst", spec["jobTemplate"]!["spec"]!["template"]!["spec"]!["dnsPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void A_cronjob_with_a_bad_schedule_policy_and_restart_policy_reports_each()
    {
        var cronJob = JsonNode.Parse("""
            {"metadata":{"name":"c"},"spec":{"schedule":"every minute please","concurrencyPolicy":"Sometimes",
             "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}}}
            """)!.AsObject();
        var strategy = new CronJobStrategy();
        strategy.Default(cronJob);
        var errors = new List<FieldError>();
        strategy.Validate(cronJob, errors);
        Assert.Equal(["spec.schedule", "spec.concurrencyPolicy", "spec.jobTemplate.spec.template.spec.restartPolicy"], errors.Select(e => e.Field));
    }
}
