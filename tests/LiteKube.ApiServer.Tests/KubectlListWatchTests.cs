using System.Text;
using CliWrap;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests;

/// <summary>Selectors and watches through the real kubectl clients.</summary>
public sealed class KubectlListWatchTests
{
    private static string ConfigMap(string name, string app) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n    app: {app}\ndata:\n  k: v\n";

    [Theory]
    [MemberData(nameof(KubectlBasicsTests.Clients), MemberType = typeof(KubectlBasicsTests))]
    public async Task Label_and_field_selectors_really_filter(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        foreach (var (name, app) in new[] { ("a", "web"), ("b", "db"), ("c", "web") })
        {
            var created = await server.KubectlAsync(kubectl, ConfigMap(name, app), "create", "--validate=false", "-f", "-");
            Assert.True(created.ExitCode == 0, created.StandardError);
        }

        var web = await server.KubectlAsync(kubectl, null, "get", "cm", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal("a c", web.StandardOutput);
        var notWeb = await server.KubectlAsync(kubectl, null, "get", "cm", "-l", "app notin (web)", "-o", "jsonpath={.items[*].metadata.name}");
        // notin also matches objects without the label, as upstream: the root CA ConfigMap too.
        Assert.Equal("b kube-root-ca.crt", notWeb.StandardOutput);
        var byName = await server.KubectlAsync(kubectl, null, "get", "cm", "--field-selector", "metadata.name=c", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal("c", byName.StandardOutput);
        var bad = await server.KubectlAsync(kubectl, null, "get", "cm", "--field-selector", "spec.nodeName=x");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("spec.nodeName", bad.StandardError);
    }

    [Theory]
    [MemberData(nameof(KubectlBasicsTests.Clients), MemberType = typeof(KubectlBasicsTests))]
    public async Task Get_watch_sees_a_later_create(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        var output = new StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watch = server.KubectlCommand(kubectl, "get", "configmaps", "-w", "-o", "name")
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line =>
            {
                lock (output)
                {
                    output.AppendLine(line);
                }

                if (line.Contains("configmap/late"))
                {
                    seen.TrySetResult();
                }
            }))
            .ExecuteAsync(CancellationToken.None, stop.Token);

        // The watch is open once kubectl has listed; then a change must reach it.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var created = await server.KubectlAsync(kubectl, ConfigMap("late", "x"), "create", "--validate=false", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Cancel();
        try
        {
            await watch;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
