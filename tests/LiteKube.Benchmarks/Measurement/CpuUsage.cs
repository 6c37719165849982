using System.Globalization;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>CPU time of the server and of the generator over <see cref="Wall"/> time.</summary>
public sealed record CpuUsage(TimeSpan Server, TimeSpan Generator, TimeSpan Wall)
{
    public double ServerCores => Server / Wall;
    public double GeneratorCores => Generator / Wall;

    /// <summary>Diagnostics rows: cores used by each side and server CPU per 1,000 operations.</summary>
    public IEnumerable<Diagnostic> Describe(string workload, long operations)
    {
        yield return new Diagnostic(workload, "server CPU (cores)", ServerCores.ToString("0.00", CultureInfo.InvariantCulture));
        yield return new Diagnostic(workload, "generator CPU (cores)", GeneratorCores.ToString("0.00", CultureInfo.InvariantCulture));
        if (operations > 0)
        {
            var perThousand = Server.TotalMilliseconds * 1000 / operations;
            yield return new Diagnostic(workload, "server CPU ms / 1k ops", perThousand.ToString("0", CultureInfo.InvariantCulture));
        }
    }
}
