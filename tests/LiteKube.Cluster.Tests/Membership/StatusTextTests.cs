using LiteKube.Cluster.Membership;

namespace LiteKube.Cluster.Tests.Membership;

public sealed class StatusTextTests
{
    private static readonly ClusterStatus Three = new("embedded", true, 1, "n1",
        [new("01", "n1", "10.0.0.1:25000", true, 0, true), new("02", "n2", "10.0.0.2:25000", false, 12, true), new("03", "n3", "10.0.0.3:25000", false, null, false)],
        [new("04", "n4", "10.0.0.4:25000", false, 0, true)],
        [new("n1", true, null), new("n3", false, "NodeLeft")]);

    [Fact]
    public void The_text_form_says_at_a_glance_whether_the_cluster_is_highly_available()
    {
        var text = StatusText.Render(Three);

        Assert.Equal(
            """
            litekube is running
            high-availability: yes
              datastore: embedded, tolerates 1 voter failure
              datastore voters:
                n1                     10.0.0.1:25000         leader
                n2                     10.0.0.2:25000         12 entries behind
                n3                     10.0.0.3:25000         unreachable
              datastore standbys:
                n4                     10.0.0.4:25000
            nodes: 1 of 2 Ready
              n1                       Ready
              n3                       NotReady (NodeLeft)

            """, text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_yaml_form_quotes_every_string_and_keeps_nulls()
    {
        var yaml = StatusText.Yaml(Three with { Leader = null, Nodes = [] });

        Assert.Contains("leader: null\n", yaml.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("- id: \"03\"\n  name: \"n3\"\n  peerAddress: \"10.0.0.3:25000\"\n  leader: false\n  lag: null\n  reachable: false\n", yaml.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("nodes: []", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1h30m", 5400)]
    public void Durations_read_as_people_type_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text, "--ttl"));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("10")]
    [InlineData("5w")]
    [InlineData("0s")]
    [InlineData("-5m")]
    public void Bad_durations_name_the_option(string text)
    {
        var error = Assert.Throws<FormatException>(() => DurationText.Parse(text, "--ttl"));
        Assert.StartsWith("--ttl: ", error.Message, StringComparison.Ordinal);
    }
}
