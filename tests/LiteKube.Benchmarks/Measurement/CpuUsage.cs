using System.Globalization;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>CPU time of the server and of the generator over <see cref="Wall"/> time.</summary>
public sealed record CpuUsage(CpuTimes Server, TimeSpan Generator, TimeSpan Wall)
{
    public double ServerCores => Server.Total / Wall;
    public double GeneratorCores => Generator / Wall;

    /// <summary>Diagnostics rows: cores used by each side and server CPU per 1,000 operations.</summary>
    public IEnumerable<Diagnostic> Describe(string workload, long operations)
    {
        yield return new Diagnostic(workload, "server CPU cores (user + sys)", string.Create(CultureInfo.InvariantCulture,
            $"{ServerCores:0.00} ({Server.User / Wall:0.00} + {Server.System / Wall:0.00})"));
        yield return new Diagnostic(workload, "generator CPU (cores)", GeneratorCores.ToString("0.00", CultureInfo.InvariantCulture));
        if (operations > 0)
        {
            var perThousand = Server.Total.TotalMilliseconds * 1000 / operations;
            yield return new Diagnostic(workload, "server CPU ms / 1k ops", perThousand.ToString("0", CultureInfo.InvariantCulture));
        }
    }
}
