using System.Globalization;
using System.Net;

namespace LiteKube.Benchmarks;

/// <summary>Command-line settings of one benchmark run. Parsing refuses unknown options by name.</summary>
public sealed record BenchmarkOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/LiteKube.Benchmarks -- SUITE [options]

        Suites:
          datastore              etcd v3 API: put, linearizable range, watch latency, memory
          api                    Kubernetes API: 5,000 pods in 50 namespaces, 20 writes/s of churn,
                                 create/update/get/list p99, 1,000 watchers, idle RSS, against
                                 upstream's SLOs (litekube only; --duration sets the churn time)
          cluster                3-member litekube vs 3-member etcd: put, linearizable range and
                                 watch latency with clients spread over the members, idle CPU
                                 and RSS per member, failover after kill -9 of the leader
          membership             published litekube nodes grown with add-node / server --join
                                 (litekube only): join time, standby promotion after kill -9
                                 of a voter, failover to the first API write (--only join,
                                 --only promotion, --only failover; --runs N)

        Options:
          --litekube PATH        use this litekube binary instead of publishing cmd/litekube
          --etcd PATH            etcd binary (default /usr/bin/etcd; Debian package etcd-server)
          --targets LIST         comma-separated subset of litekube,etcd (default both)
          --only TEXT            run only workloads whose name starts with TEXT: put, range, watch, memory (repeatable)
          --duration SECONDS     measured time per throughput run (default 10)
          --server-warmup SECONDS  mixed load on each fresh server before a throughput or
                                 latency workload, to reach steady state (default 10; 0 = none)
          --warmup SECONDS       unrecorded warm-up of the workload itself (default 2)
          --rounds N             run each workload N times per target, alternating the order,
                                 and report the median of each figure (default 1)
          --litekube-address IP  loopback address for litekube (default 127.0.0.2)
          --etcd-address IP      loopback address for etcd (default 127.0.0.3)
          --litekube-cluster IPS cluster: the members' addresses (default 127.0.1.1,127.0.1.2,127.0.1.3)
          --etcd-cluster IPS     cluster: the members' addresses (default 127.0.2.1,127.0.2.2,127.0.2.3)
          --membership-cluster IPS  membership: the nodes' addresses, 4 (default 127.0.3.1,...,127.0.3.4)
          --runs N               membership: runs per scenario (default 10; promotion stops
                                 after 8 minutes once 5 runs are done)
          --work-dir DIR         parent of the temporary data dirs (default $TMPDIR or /tmp)
          --results PATH         Markdown file to write (default tests/LiteKube.Benchmarks/RESULTS.md)
          --no-results           print the table only; use for short validation runs
          --quick                api: a smoke-sized run (100 pods, 50 watchers, 10 s of churn)
        """;

    public required string Suite { get; init; }
    public string? LiteKubeBinary { get; init; }
    public string EtcdBinary { get; init; } = "/usr/bin/etcd";
    public IReadOnlyList<string> Targets { get; init; } = ["litekube", "etcd"];
    public IReadOnlyList<string> Only { get; init; } = [];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public int Rounds { get; init; } = 1;
    public TimeSpan ServerWarmup { get; init; } = TimeSpan.FromSeconds(10);
    public IPAddress LiteKubeAddress { get; init; } = IPAddress.Parse("127.0.0.2");
    public IPAddress EtcdAddress { get; init; } = IPAddress.Parse("127.0.0.3");
    public IReadOnlyList<IPAddress> LiteKubeClusterAddresses { get; init; } = Addresses("127.0.1.1,127.0.1.2,127.0.1.3");
    public IReadOnlyList<IPAddress> EtcdClusterAddresses { get; init; } = Addresses("127.0.2.1,127.0.2.2,127.0.2.3");
    public IReadOnlyList<IPAddress> MembershipAddresses { get; init; } = Addresses("127.0.3.1,127.0.3.2,127.0.3.3,127.0.3.4");
    public int Runs { get; init; } = 10;
    public string WorkDirectory { get; init; } = Path.GetTempPath();
    public string? ResultsFile { get; init; }
    public bool WriteResults { get; init; } = true;
    public bool Quick { get; init; }

    /// <summary>Whether --duration was given (the api suite has its own default churn time).</summary>
    public bool DurationSet { get; init; }

    /// <summary>The arguments as given, to print the exact command in the results.</summary>
    public IReadOnlyList<string> RawArguments { get; init; } = [];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        string? suite = null;
        var options = new BenchmarkOptions { Suite = "", RawArguments = args };
        var only = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            options = arg switch
            {
                "--litekube" => options with { LiteKubeBinary = Path.GetFullPath(Value()) },
                "--etcd" => options with { EtcdBinary = Value() },
                "--targets" => options with { Targets = ParseTargets(Value()) },
                "--only" => AddOnly(options, only, Value()),
                "--duration" => options with { Duration = ParseSeconds(arg, Value()), DurationSet = true },
                "--warmup" => options with { Warmup = ParseSeconds(arg, Value()) },
                "--server-warmup" => options with { ServerWarmup = ParseSeconds(arg, Value(), allowZero: true) },
                "--rounds" => options with { Rounds = ParseCount(arg, Value()) },
                "--litekube-address" => options with { LiteKubeAddress = ParseLoopback(arg, Value()) },
                "--etcd-address" => options with { EtcdAddress = ParseLoopback(arg, Value()) },
                "--litekube-cluster" => options with { LiteKubeClusterAddresses = ParseCluster(arg, Value()) },
                "--etcd-cluster" => options with { EtcdClusterAddresses = ParseCluster(arg, Value()) },
                "--membership-cluster" => options with { MembershipAddresses = ParseMembers(arg, Value()) },
                "--runs" => options with { Runs = ParseRuns(arg, Value()) },
                "--work-dir" => options with { WorkDirectory = Path.GetFullPath(Value()) },
                "--results" => options with { ResultsFile = Path.GetFullPath(Value()) },
                "--no-results" => options with { WriteResults = false },
                "--quick" => options with { Quick = true },
                _ when arg.StartsWith('-') => throw new ArgumentException($"unknown option {arg}"),
                _ when suite is null => options with { Suite = suite = arg },
                _ => throw new ArgumentException($"unexpected argument {arg}: only one suite per run"),
            };
        }

        if (suite is null)
        {
            throw new ArgumentException("name a suite, e.g. `datastore`");
        }

        if (options.LiteKubeAddress.Equals(options.EtcdAddress))
        {
            throw new ArgumentException("litekube and etcd need different loopback addresses");
        }

        if (options.LiteKubeClusterAddresses.Intersect(options.EtcdClusterAddresses).Any())
        {
            throw new ArgumentException("the litekube and etcd clusters need different loopback addresses");
        }

        return options;
    }

    private static BenchmarkOptions AddOnly(BenchmarkOptions options, List<string> only, string text)
    {
        only.Add(text);
        return options with { Only = only.ToArray() };
    }

    private static string[] ParseTargets(string value)
    {
        var targets = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var target in targets)
        {
            if (target is not ("litekube" or "etcd"))
            {
                throw new ArgumentException($"unknown target {target}: use litekube and/or etcd");
            }
        }

        return targets.Length > 0 ? targets : throw new ArgumentException("--targets needs at least one target");
    }

    private static TimeSpan ParseSeconds(string option, string value, bool allowZero = false) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && (seconds > 0 || (allowZero && seconds == 0))
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{option} takes a positive number of seconds, not {value}");

    private static int ParseCount(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= 20
            ? count
            : throw new ArgumentException($"{option} takes a whole number from 1 to 20, not {value}");

    private static IReadOnlyList<IPAddress> Addresses(string list) => list.Split(',').Select(IPAddress.Parse).ToArray();

    private static IReadOnlyList<IPAddress> ParseCluster(string option, string value)
    {
        var addresses = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => ParseLoopback(option, a)).ToArray();
        return addresses.Length >= 3 && addresses.Distinct().Count() == addresses.Length
            ? addresses
            : throw new ArgumentException($"{option} takes at least 3 distinct loopback addresses, comma-separated, not {value}");
    }

    private static IReadOnlyList<IPAddress> ParseMembers(string option, string value)
    {
        var addresses = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => ParseLoopback(option, a)).ToArray();
        return addresses.Length == 4 && addresses.Distinct().Count() == 4
            ? addresses
            : throw new ArgumentException($"{option} takes 4 distinct loopback addresses, comma-separated, not {value}");
    }

    private static int ParseRuns(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs is > 0 and <= 100
            ? runs
            : throw new ArgumentException($"{option} takes a whole number from 1 to 100, not {value}");

    // The benchmark must never listen on or dial anything but the loopback network.
    private static IPAddress ParseLoopback(string option, string value) =>
        IPAddress.TryParse(value, out var address) && address.GetAddressBytes() is [127, _, _, _]
            ? address
            : throw new ArgumentException($"{option} must be an address in 127.0.0.0/8, not {value}");
}
