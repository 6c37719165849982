using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary>Bad Kubernetes API settings and damaged key files stop the start with one line that
/// names the file or setting and says what to do.</summary>
public sealed class ApiStartupErrorTests
{
    private static Task<ProcessOutput> StartServerAsync(string dataDirectory, params string[] extra) =>
        LiteKubeCommand.RunAsync(["server", "--data-dir", dataDirectory, "--bind-address", LoopbackAddresses.Allocate().ToString(), "--config", "/dev/null", .. extra]);

    [Fact]
    public async Task Damaged_or_half_missing_cluster_ca_is_refused_and_not_replaced()
    {
        await using var node = await LiteKubeProcess.StartAsync();
        Assert.Equal(0, await node.StopAsync());
        var key = Path.Combine(node.DataDirectory, "tls", "ca.key");
        await File.WriteAllTextAsync(key, "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n");

        var corrupt = await StartServerAsync(node.DataDirectory);

        CliAssert.OneLineError(corrupt, 1, $"reading {key}", "not a valid PEM", "restore it from a backup");
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\nnot base64", await File.ReadAllTextAsync(key), StringComparison.Ordinal);

        File.Delete(key);
        var halfMissing = await StartServerAsync(node.DataDirectory);

        CliAssert.OneLineError(halfMissing, 1, $"{key} is missing but its pair is present", "restore it from a backup");
        Assert.False(File.Exists(key));
    }

    [Fact]
    public async Task Corrupt_serving_certificate_is_refused_with_how_to_get_a_new_one()
    {
        await using var node = await LiteKubeProcess.StartAsync();
        Assert.Equal(0, await node.StopAsync());
        var certificate = Path.Combine(node.DataDirectory, "tls", "apiserver.crt");
        await File.WriteAllTextAsync(certificate, "garbage");

        var output = await StartServerAsync(node.DataDirectory);

        CliAssert.OneLineError(output, 1, certificate, $"delete {certificate}");
    }

    [Fact]
    public async Task Missing_token_auth_file_is_refused()
    {
        using var temporary = new TemporaryDirectory();
        var missing = temporary.Combine("no-such-tokens.csv");

        var output = await StartServerAsync(temporary.Combine("data"), "--token-auth-file", missing);

        CliAssert.OneLineError(output, 1, "--token-auth-file", missing, "does not exist");
    }

    [Fact]
    public async Task Bad_token_auth_file_is_refused_naming_the_line()
    {
        using var temporary = new TemporaryDirectory();
        var tokens = temporary.Combine("tokens.csv");
        await File.WriteAllTextAsync(tokens, "# tokens\ngood-token,bob,uid-bob\nonly-two,columns\n");

        var output = await StartServerAsync(temporary.Combine("data"), "--token-auth-file", tokens);

        CliAssert.OneLineError(output, 1, "--token-auth-file", tokens, "line 3", "fix the file");
        Assert.DoesNotContain(LiteKubeProcess.ReadyMarker, output.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--service-cidr", "10.43.0.0", "not a CIDR range")]
    [InlineData("--service-cidr", "10.43.1.0/16", "host bits set")]
    [InlineData("--api-port", "70000", "not a port number")]
    [InlineData("--api-port", "2379", "also the etcd port")]
    public async Task Bad_api_settings_are_refused_naming_the_flag(string flag, string value, string reason)
    {
        using var temporary = new TemporaryDirectory();

        var output = await StartServerAsync(temporary.Combine("data"), flag, value);

        CliAssert.OneLineError(output, 1, flag, value, reason);
        Assert.False(Directory.Exists(temporary.Combine("data")), "nothing is written for a refused setting");
    }
}
