using LiteKube.Cluster.Membership;

namespace LiteKube.Cluster.Tests.Membership;

public sealed class ConfigFileJoinTests
{
    private static readonly JoinString Join = JoinString.Parse("127.0.0.1:25000/0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    [Fact]
    public void The_join_is_added_after_the_comments_of_install_shs_file()
    {
        var text = "# LiteKube server settings\n# node-name: my-node\nbind-address: 127.0.0.5\n";

        Assert.Equal($"# LiteKube server settings\n# node-name: my-node\nbind-address: 127.0.0.5\njoin: \"{Join}\"\n", ConfigFileJoin.With(text, Join));
    }

    [Fact]
    public void An_earlier_join_is_replaced_in_place_and_a_commented_one_is_left_alone()
    {
        var text = "# join: old\njoin: 10.0.0.1:25000/aa/bb\nnode-name: n2\njoin : again\n";

        Assert.Equal($"# join: old\njoin: \"{Join}\"\nnode-name: n2\n", ConfigFileJoin.With(text, Join));
    }

    [Fact]
    public void An_empty_or_missing_file_gets_just_the_join()
    {
        Assert.Equal($"join: \"{Join}\"\n", ConfigFileJoin.With("", Join));
    }

    [Fact]
    public void Keys_that_only_start_with_join_are_not_the_join()
    {
        Assert.Equal($"joiner: x\njoin: \"{Join}\"\n", ConfigFileJoin.With("joiner: x\n", Join));
    }
}
