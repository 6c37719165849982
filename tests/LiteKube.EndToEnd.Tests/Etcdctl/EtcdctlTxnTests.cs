namespace LiteKube.EndToEnd.Tests.Etcdctl;

/// <summary>
/// <c>etcdctl txn --interactive</c> with its input piped on stdin: compares, a blank line,
/// success requests, a blank line, failure requests, a blank line. It prints one prompt per
/// section, SUCCESS or FAILURE, then a blank line and the output of each request.
/// </summary>
[Collection(EtcdctlCollection.Name)]
public sealed class EtcdctlTxnTests(EtcdctlNode etcd)
{
    private const string Prompts = "compares:\nsuccess requests (get, put, del):\nfailure requests (get, put, del):\n";

    private async Task<string> TxnAsync(string input)
    {
        var output = await etcd.Node.EtcdctlWithInputAsync(input, "txn", "--interactive");
        Assert.True(output.ExitCode == 0, $"etcdctl txn:\n{input}\n{output}");
        return output.StandardOutput;
    }

    [Fact]
    public async Task A_txn_whose_compares_hold_runs_the_success_requests()
    {
        await etcd.RunAsync("put", "/txn-s/k", "v1");

        var output = await TxnAsync("value(\"/txn-s/k\") = \"v1\"\n\nput /txn-s/k v2\nget /txn-s/k\n\nput /txn-s/failed yes\n\n");

        Assert.Equal(Prompts + "SUCCESS\n\nOK\n\n/txn-s/k\nv2\n", output);
        Assert.Equal("", (await etcd.RunAsync("get", "/txn-s/failed")).StandardOutput);
    }

    [Fact]
    public async Task A_txn_whose_compare_fails_runs_the_failure_requests()
    {
        await etcd.RunAsync("put", "/txn-f/k", "v1");

        var output = await TxnAsync("value(\"/txn-f/k\") = \"other\"\n\nput /txn-f/k v2\n\nput /txn-f/failed yes\nget /txn-f/k\n\n");

        Assert.Equal(Prompts + "FAILURE\n\nOK\n\n/txn-f/k\nv1\n", output);
        Assert.Equal("/txn-f/failed\nyes\n", (await etcd.RunAsync("get", "/txn-f/failed")).StandardOutput);
    }

    [Fact]
    public async Task A_txn_compares_mod_version_and_create_revisions()
    {
        await etcd.RunAsync("put", "/txn-rev/k", "1");
        await etcd.RunAsync("put", "/txn-rev/k", "2");
        var revision = await etcd.RevisionAsync();

        var holds = await TxnAsync($"mod(\"/txn-rev/k\") = \"{revision}\"\nversion(\"/txn-rev/k\") = \"2\"\ncreate(\"/txn-rev/none\") = \"0\"\n\ndel /txn-rev/k\n\n\n");
        var fails = await TxnAsync("version(\"/txn-rev/k\") > \"0\"\n\nput /txn-rev/k again\n\n\n");

        Assert.Equal(Prompts + "SUCCESS\n\n1\n", holds);
        Assert.Equal(Prompts + "FAILURE\n", fails);
        Assert.Equal("", (await etcd.RunAsync("get", "/txn-rev/k")).StandardOutput);
    }

    [Fact]
    public async Task A_txn_that_puts_one_key_twice_fails_with_the_duplicate_key_error()
    {
        var output = await etcd.Node.EtcdctlWithInputAsync("\nput /txn-dup/k 1\nput /txn-dup/k 2\n\n\n", "txn", "--interactive");

        Assert.True(output.ExitCode == 1, output.ToString());
        Assert.Equal("Error: etcdserver: duplicate key given in txn request", output.StandardErrorLines[^1]);
        Assert.Equal("", (await etcd.RunAsync("get", "/txn-dup/k")).StandardOutput);
    }
}
