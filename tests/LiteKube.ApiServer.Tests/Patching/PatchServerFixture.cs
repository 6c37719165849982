using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Patching;

/// <summary>One in-process API server shared by the tests of a class; each test works in its own namespace.</summary>
public sealed class PatchServerFixture : IAsyncLifetime
{
    private InProcessApiServer? _server;

    public InProcessApiServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    public async Task InitializeAsync() => _server = await InProcessApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Creates namespace <paramref name="name"/> through kubectl apply (a JSON POST).</summary>
    public async Task CreateNamespaceAsync(string kubectl, string name)
    {
        var result = await Server.KubectlAsync(kubectl, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n", "apply", "-f", "-");
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    /// <summary>The oldest and the newest kubectl: they send the same strategic merge patches.</summary>
    public static TheoryData<string> OldestAndNewestKubectl() => new()
    {
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    };

    public static string Minor(string kubectl) => kubectl[(kubectl.LastIndexOf('.') + 1)..];
}
