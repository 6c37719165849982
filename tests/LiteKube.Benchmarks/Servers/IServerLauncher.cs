namespace LiteKube.Benchmarks.Servers;

/// <summary>Starts one kind of server (a benchmark target) on a fresh data directory.</summary>
public interface IServerLauncher
{
    /// <summary>"litekube" or "etcd".</summary>
    string Name { get; }

    /// <summary>One line naming the exact version, for the results header.</summary>
    Task<string> DescribeVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts the server with its data in a new directory under <paramref name="workDirectory"/>
    /// (which also gets its log) and returns once it answers an etcd Range request.
    /// </summary>
    Task<IBenchmarkServer> StartAsync(string workDirectory, CancellationToken cancellationToken);
}
