namespace LiteKube.Cli;

/// <summary>The litekube binary: parse, call a host, print. Everything else lives in
/// LiteKube.Host so that tests can run it in-process.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => LiteKubeCommandLine.RunAsync(args);
}
