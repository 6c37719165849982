using System.Text.RegularExpressions;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>One server with an object of every printed kind, shared by the column tests.</summary>
public sealed class TableObjectsFixture : IAsyncLifetime
{
    public InProcessApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessApiServer.StartAsync();
        const string kubectl = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
        var ns = await Server.KubectlAsync(kubectl, $"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{TableManifest.Namespace}\"}}}}", "create", "-f", "-");
        Assert.True(ns.ExitCode == 0, ns.StandardError);
        var created = await Server.KubectlAsync(kubectl, TableManifest.Yaml, "create", "-n", TableManifest.Namespace, "--validate=false", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError + created.StandardOutput);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>kubectl get prints the server's columns for every kind, with and without -o wide,
/// with the oldest and newest supported kubectl.</summary>
public sealed class KubectlTableColumnsTests(TableObjectsFixture fixture) : IClassFixture<TableObjectsFixture>
{
    public static TheoryData<string> Clients() =>
        ["/usr/lib/google-cloud-sdk/bin/kubectl.1.27", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"];

    // resource/name -> (header, wide header); kubectl upper-cases the column names.
    private static readonly (string Object, string Header, string Wide)[] Kinds =
    [
        ("pod/web", "NAME READY STATUS RESTARTS AGE", "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES"),
        ("service/web", "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE", "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR"),
        ("endpoints/manual", "NAME ENDPOINTS AGE", "NAME ENDPOINTS AGE"),
        ("configmap/cfg", "NAME DATA AGE", "NAME DATA AGE"),
        ("secret/sec", "NAME TYPE DATA AGE", "NAME TYPE DATA AGE"),
        ("serviceaccount/builder", "NAME SECRETS AGE", "NAME SECRETS AGE"),
        ("node/tables-node", "NAME STATUS ROLES AGE VERSION", "NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME"),
        ("namespace/tables", "NAME STATUS AGE", "NAME STATUS AGE"),
        ("events.v1./web.1", "LAST SEEN TYPE REASON OBJECT MESSAGE", "LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME"),
        ("events.v1.events.k8s.io/web.2", "LAST SEEN TYPE REASON OBJECT MESSAGE", "LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME"),
        ("limitrange/limits", "NAME CREATED AT", "NAME CREATED AT"),
        ("resourcequota/quota", "NAME REQUEST LIMIT AGE", "NAME REQUEST LIMIT AGE"),
        ("persistentvolume/tables-pv", "NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE", "NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE VOLUMEMODE"),
        ("persistentvolumeclaim/data", "NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE", "NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE VOLUMEMODE"),
        ("replicationcontroller/rc", "NAME DESIRED CURRENT READY AGE", "NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR"),
        ("deployment/web", "NAME READY UP-TO-DATE AVAILABLE AGE", "NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR"),
        ("replicaset/rs", "NAME DESIRED CURRENT READY AGE", "NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR"),
        ("statefulset/db", "NAME READY AGE", "NAME READY AGE CONTAINERS IMAGES"),
        ("daemonset/agent", "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE", "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE CONTAINERS IMAGES SELECTOR"),
        ("controllerrevision/db-1", "NAME CONTROLLER REVISION AGE", "NAME CONTROLLER REVISION AGE"),
        ("job/pi", "NAME STATUS COMPLETIONS DURATION AGE", "NAME STATUS COMPLETIONS DURATION AGE CONTAINERS IMAGES SELECTOR"),
        ("cronjob/nightly", "NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE", "NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE CONTAINERS IMAGES SELECTOR"),
        ("lease/lock", "NAME HOLDER AGE", "NAME HOLDER AGE"),
        ("endpointslice/web-abc", "NAME ADDRESSTYPE PORTS ENDPOINTS AGE", "NAME ADDRESSTYPE PORTS ENDPOINTS AGE"),
        ("poddisruptionbudget/pdb", "NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE", "NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE"),
        ("horizontalpodautoscaler.v2.autoscaling/web", "NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE", "NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE"),
        ("role/reader", "NAME CREATED AT", "NAME CREATED AT"),
        ("rolebinding/readers", "NAME ROLE AGE", "NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS"),
        ("clusterrole/tables-reader", "NAME CREATED AT", "NAME CREATED AT"),
        ("clusterrolebinding/tables-readers", "NAME ROLE AGE", "NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS"),
    ];

    public static TheoryData<string, bool> ClientsAndWidth()
    {
        var data = new TheoryData<string, bool>();
        foreach (var client in Clients())
        {
            data.Add(client, false);
            data.Add(client, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ClientsAndWidth))]
    public async Task Get_prints_upstreams_header_for_every_kind(string kubectl, bool wide)
    {
        // One get of every object: kubectl prints one table, with its header, per kind.
        string[] args = ["get", "-n", TableManifest.Namespace, .. Kinds.Select(k => k.Object), .. (wide ? new[] { "-o", "wide" } : [])];
        var result = await fixture.Server.KubectlAsync(kubectl, null, args);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var headers = result.StandardOutput.Split('\n').Where(l => l.StartsWith("NAME", StringComparison.Ordinal) || l.StartsWith("LAST SEEN", StringComparison.Ordinal))
            .Select(l => Regex.Replace(l.TrimEnd(), @"\s{2,}", " ")).ToList();
        foreach (var (obj, header, wideHeader) in Kinds)
        {
            Assert.True(headers.Contains(wide ? wideHeader : header), $"{obj}: no header \"{(wide ? wideHeader : header)}\" in\n{result.StandardOutput}");
        }
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Cells_show_the_values_upstream_prints(string kubectl)
    {
        async Task<string> Row(string obj, params string[] extra)
        {
            var result = await fixture.Server.KubectlAsync(kubectl, null, ["get", "-n", TableManifest.Namespace, obj, "--no-headers", .. extra]);
            Assert.True(result.ExitCode == 0, result.StandardError);
            return Regex.Replace(result.StandardOutput.Trim(), @"\s{2,}", " | ");
        }

        Assert.Matches(@"^web \| 0/1 \| Pending \| 0 \| \d+s \| <none> \| <none> \| <none> \| <none>$", await Row("pod/web", "-o", "wide"));
        Assert.Matches(@"^web \| 0/2 \| 0 \| 0 \| \d+s \| web \| nginx:1\.27 \| app=web$", await Row("deployment/web", "-o", "wide"));
        Assert.Matches(@"^db \| 0/3 \| \d+s$", await Row("statefulset/db"));
        Assert.Matches(@"^manual \| 10\.42\.0\.9:8080 \| \d+s$", await Row("endpoints/manual"));
        Assert.Matches(@"^tables-node \| Unknown \| control-plane \| \d+s$", await Row("node/tables-node"));
        Assert.Matches(@"^nightly \| 0 3 \* \* \* \| <none> \| False \| 0 \| <none> \| \d+s$", await Row("cronjob/nightly"));
        Assert.Matches(@"^pi \| Running \| 0/1 \|", await Row("job/pi"));
        Assert.Matches(@"^lock \| tables-holder \| \d+s$", await Row("lease/lock"));
        Assert.Matches(@"^web \| Deployment/web \| cpu: <unknown>/80% \| 1 \| 5 \| 0 \| \d+s$", await Row("horizontalpodautoscaler.v2.autoscaling/web"));
        Assert.Matches(@"^readers \| Role/reader \| \d+s \| alice$", await Row("rolebinding/readers", "-o", "wide"));
        Assert.Matches(@"^\d+[dy]\S* \| Normal \| Tested \| pod/web \| printed by the tables test$", await Row("events.v1./web.1"));
        Assert.Matches(@"^\S+ \| Normal \| TestedAgain \| pod/web \| printed by the tables test too$", await Row("events.v1.events.k8s.io/web.2"));
        Assert.Matches(@"^tables-pv \| 1Gi \| RWO \| Retain \| (\w+ \| )?<unset> \| \d+s$", await Row("persistentvolume/tables-pv"));
        Assert.Matches(@"^reader \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", await Row("role/reader"));
    }
}
