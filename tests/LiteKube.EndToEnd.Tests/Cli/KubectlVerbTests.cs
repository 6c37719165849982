using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary><c>litekube kubectl</c> hands everything to kubectl: here a stand-in kubectl on PATH
/// that reports what it got, so the tests see exactly what was passed. (The real kubectl against
/// a running server is in Kubectl/LiteKubeKubectlTests.)</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubectlVerbTests : IDisposable
{
    private readonly TemporaryDirectory temporary = new();

    public KubectlVerbTests()
    {
        var bin = temporary.Combine("bin");
        Directory.CreateDirectory(bin);
        var script = Path.Combine(bin, "kubectl");
        File.WriteAllText(script, """
            #!/bin/sh
            for argument in "$@"; do printf 'arg:%s\n' "$argument"; done
            printf 'stdin:'; cat
            echo 'from stderr' >&2
            exit 7

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        DataDirectory = temporary.Combine("data");
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllText(Path.Combine(DataDirectory, "kubeconfig"), "apiVersion: v1\nkind: Config\n");
    }

    private string DataDirectory { get; }

    private Dictionary<string, string> Environment(string? dataDirectory = null) => new()
    {
        ["PATH"] = $"{temporary.Combine("bin")}:/usr/bin:/bin",
        ["KUBECONFIG"] = "",
        ["LITEKUBE_DATA_DIR"] = dataDirectory ?? DataDirectory,
    };

    [Fact]
    public async Task Arguments_stdin_stdout_stderr_and_exit_code_pass_through_verbatim()
    {
        var output = await LiteKubeCommand.RunAsync(["kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}", "--help", "-n", "kube-system", "two words", "--", "--not-ours"],
            Environment(), standardInput: "piped input\n");

        Assert.Equal(7, output.ExitCode);
        var kubeconfig = Path.Combine(DataDirectory, "kubeconfig");
        Assert.Equal(
            $"arg:--kubeconfig\narg:{kubeconfig}\narg:get\narg:pods\narg:-o\narg:jsonpath={{.items[*].metadata.name}}\narg:--help\narg:-n\narg:kube-system\narg:two words\narg:--\narg:--not-ours\nstdin:piped input\n",
            output.StandardOutput);
        Assert.Equal("from stderr\n", output.StandardError);
    }

    [Fact]
    public async Task Kubeconfig_environment_variable_wins_as_with_k3s()
    {
        var environment = Environment(temporary.Combine("no-such-data-dir"));
        environment["KUBECONFIG"] = "/somewhere/else";

        var output = await LiteKubeCommand.RunAsync(["kubectl", "version"], environment);

        Assert.Equal(7, output.ExitCode);
        Assert.StartsWith("arg:version\nstdin:", output.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_dir_comes_from_the_config_file_when_the_environment_does_not_say()
    {
        var config = temporary.Combine("config.yaml");
        await File.WriteAllTextAsync(config, $"data-dir: {DataDirectory}\nnode-name: edge-1\n");
        var environment = Environment();
        environment.Remove("LITEKUBE_DATA_DIR");
        environment["LITEKUBE_CONFIG"] = config;

        var output = await LiteKubeCommand.RunAsync(["kubectl", "get", "ns"], environment);

        Assert.Equal(7, output.ExitCode);
        Assert.StartsWith($"arg:--kubeconfig\narg:{Path.Combine(DataDirectory, "kubeconfig")}\narg:get\n", output.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_kubeconfig_is_one_line_naming_it_and_kubectl_is_not_run()
    {
        var empty = temporary.Combine("empty");

        var output = await LiteKubeCommand.RunAsync(["kubectl", "get", "nodes"], Environment(empty));

        Assert.Equal(1, output.ExitCode);
        Assert.Equal($"litekube kubectl: no kubeconfig at {Path.Combine(empty, "kubeconfig")}: is the server running with --data-dir {empty}?", output.StandardError.TrimEnd('\n'));
        Assert.Empty(output.StandardOutput);
    }

    public void Dispose() => temporary.Dispose();
}
