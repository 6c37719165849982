using LiteKube.Cluster.Membership;

namespace LiteKube.Cluster.Tests.Membership;

public sealed class JoinStringTests
{
    private const string Token = "92b2db237428470dc4fcfc4ebbd9dc81";
    private const string Pin = "2c0cb3284b05aa11bb22cc33dd44ee55ff66778899aabbccddeeff0011223344";

    [Fact]
    public void What_add_node_prints_parses_back()
    {
        var printed = JoinString.For("10.0.0.1", 25000, Token, Pin);

        Assert.Equal($"10.0.0.1:25000/{Token}/{Pin[..32]}", printed.ToString());
        Assert.Equal(printed, JoinString.Parse(printed.ToString()));
        Assert.True(printed.Pins(Pin));
        Assert.False(printed.Pins("ff" + Pin[2..]));
    }

    [Theory]
    [InlineData("nuc-1.lan:25000", "nuc-1.lan", 25000)]
    [InlineData("[fd00::1]:25001", "fd00::1", 25001)]
    [InlineData("127.0.0.3:25000", "127.0.0.3", 25000)]
    public void Hosts_names_and_ipv6_in_brackets(string address, string host, int port)
    {
        var parsed = JoinString.Parse($"{address}/{Token}/{Pin}");

        Assert.Equal((host, port, Pin), (parsed.Host, parsed.Port, parsed.CaHash));
        Assert.Equal($"{address}/{Token}/{Pin}", parsed.ToString());
    }

    [Fact]
    public void Upper_case_hex_and_surrounding_space_are_accepted()
    {
        var parsed = JoinString.Parse($"  10.0.0.1:25000/{Token.ToUpperInvariant()}/{Pin[..32].ToUpperInvariant()}\n");

        Assert.Equal((Token, Pin[..32]), (parsed.Token, parsed.CaHash));
    }

    [Theory]
    [InlineData("10.0.0.1:25000", "is not HOST:PORT/TOKEN/CAHASH")]
    [InlineData("10.0.0.1/" + Token + "/2c0cb3284b05aa11bb22cc33dd44ee55", "needs a port")]
    [InlineData("10.0.0.1:0/" + Token + "/2c0cb3284b05aa11bb22cc33dd44ee55", "is not a port number")]
    [InlineData("10.0.0.1:99999/" + Token + "/2c0cb3284b05aa11bb22cc33dd44ee55", "is not a port number")]
    [InlineData("fd00::1:25000/" + Token + "/2c0cb3284b05aa11bb22cc33dd44ee55", "in brackets")]
    [InlineData("[nonsense]:25000/" + Token + "/2c0cb3284b05aa11bb22cc33dd44ee55", "is not an IPv6 address")]
    [InlineData("bad host:25000/" + Token + "/2c0cb3284b05aa11bb22cc33dd44ee55", "is not a host name")]
    [InlineData("10.0.0.1:25000/abc/2c0cb3284b05aa11bb22cc33dd44ee55", "token in the join string must be 32 hex digits")]
    [InlineData("10.0.0.1:25000/" + Token + "/2c0cb3284b05", "CA hash in the join string must be 32 or 64 hex digits")]
    [InlineData("10.0.0.1:25000/" + Token + "/zz0cb3284b05aa11bb22cc33dd44ee55", "CA hash in the join string must be")]
    [InlineData("10.0.0.1:25000/" + Token + "/x/y", "is not HOST:PORT/TOKEN/CAHASH")]
    public void Malformed_join_strings_say_what_is_wrong_in_one_line(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => JoinString.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Tokens_are_random_hex_and_only_their_hash_matches()
    {
        var token = JoinToken.Generate();

        Assert.Matches("^[0-9a-f]{32}$", token);
        Assert.NotEqual(token, JoinToken.Generate());
        Assert.True(JoinToken.HashMatches(JoinToken.Hash(token), token.ToUpperInvariant()));
        Assert.False(JoinToken.HashMatches(JoinToken.Hash(token), JoinToken.Generate()));
        Assert.Equal(64, JoinToken.Hash(token).Length);
    }
}
