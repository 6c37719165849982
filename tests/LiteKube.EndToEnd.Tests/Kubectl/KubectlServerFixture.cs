using CliWrap;
using CliWrap.Buffered;
using LiteKube.EndToEnd.Tests.Infrastructure;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary>One published <c>litekube server</c> per test class (its own 127.0.0.N and data
/// dir), shared by the class's tests; each test works in a namespace of its own.</summary>
public class KubectlServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private LiteKubeProcess? node;
    private int namespaces;

    public LiteKubeProcess Node => node ?? throw new InvalidOperationException("not started");

    /// <summary>Contents of a <c>--token-auth-file</c> for the server, or null for none.</summary>
    protected virtual string? TokenAuthFile => null;

    /// <summary>More <c>litekube server</c> flags for this class's server.</summary>
    protected virtual IReadOnlyList<string> ServerArguments => [];

    public string CacheRoot => System.IO.Path.Combine(Node.DataDirectory, "..", "kubectl-cache");

    public async Task InitializeAsync()
    {
        var options = new LiteKubeProcessOptions { ExtraArguments = ServerArguments };
        if (TokenAuthFile is { } tokens)
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "litekube-e2e", $"tokens-{Guid.NewGuid():N}.csv");
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, tokens);
            options = options with { ExtraArguments = [.. ServerArguments, "--token-auth-file", path] };
        }
        node = await LiteKubeProcess.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (node is not null)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>A fresh namespace for one test, created with the oldest client (a JSON body).
    /// Returns once its <c>default</c> ServiceAccount exists, so that pods can be created in it.</summary>
    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref namespaces)}";
        var created = await KubectlAsync(27, null, "create", "namespace", name);
        Assert.True(created.ExitCode == 0, created.ToString());
        await WaitForServiceAccountAsync(name);
        return name;
    }

    /// <summary>Waits until the server's ServiceAccount controller made <paramref name="account"/>
    /// in <paramref name="ns"/> (pod admission needs it); fails after 30 s.</summary>
    public async Task WaitForServiceAccountAsync(string ns, string account = "default")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = await KubectlAsync(27, null, "get", "serviceaccount", account, "-n", ns, "-o", "name");
            if (found.ExitCode == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no serviceaccount {ns}/{account} after 30 s: {found}");
            await Task.Delay(100);
        }
    }

    /// <summary>Runs kubectl 1.<paramref name="minor"/> with the server's admin kubeconfig and a
    /// discovery cache of its own (kubectl caches discovery for hours).</summary>
    public Task<ProcessOutput> KubectlAsync(int minor, string? stdin, params string[] arguments) =>
        KubectlWithAsync(Node.KubeconfigPath, minor, stdin, arguments);

    public Task<ProcessOutput> KubectlWithAsync(string kubeconfig, int minor, string? stdin, params string[] arguments) =>
        RunAsync(KubectlClients.Path(minor), ["--kubeconfig", kubeconfig, "--cache-dir", System.IO.Path.Combine(CacheRoot, $"{System.IO.Path.GetFileName(kubeconfig)}-{minor}"), .. arguments], stdin, null);

    public static async Task<ProcessOutput> RunAsync(string program, IEnumerable<string> arguments, string? stdin, IReadOnlyDictionary<string, string?>? environment)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var result = await CliWrap.Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithStandardInputPipe(stdin is null ? PipeSource.Null : PipeSource.FromString(stdin))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
        return new ProcessOutput(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Asserts exit code 0 and returns stdout.</summary>
    public static string Succeeded(ProcessOutput output)
    {
        Assert.True(output.ExitCode == 0, output.ToString());
        return output.StandardOutput;
    }
}
