using LiteKube.ApiServer.Security;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class StaticTokenAuthenticatorTests
{
    [Fact]
    public void Tokens_name_their_user_uid_and_quoted_groups_plus_system_authenticated()
    {
        var tokens = StaticTokenAuthenticator.Parse("""
            # operators
            s3cret,alice,uid-1,"devs,ops"

            other-token, bob ,uid-2
            """, "tokens.csv");

        var alice = tokens.Authenticate("s3cret");
        var bob = tokens.Authenticate("other-token");

        Assert.Equal(2, tokens.Count);
        Assert.Equal(("alice", "uid-1"), (alice!.Name, alice.Uid));
        Assert.Equal(["devs", "ops", "system:authenticated"], alice.Groups);
        Assert.Equal(("bob", "uid-2"), (bob!.Name, bob.Uid));
        Assert.Equal(["system:authenticated"], bob.Groups);
        Assert.Null(tokens.Authenticate("S3CRET"));
        Assert.Null(tokens.Authenticate(""));
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_and_escaped_quotes()
    {
        var tokens = StaticTokenAuthenticator.Parse("\"to,ken\",\"carol \"\"c\"\"\",uid-3", "tokens.csv");

        Assert.Equal("carol \"c\"", tokens.Authenticate("to,ken")!.Name);
    }

    [Theory]
    [InlineData("ok,alice,1\njust-a-token,bob", "line 2: must have at least 3 columns (token, user name, user uid), found 2")]
    [InlineData("ok,alice,1\n\n,bob,2", "line 3: the token is empty")]
    [InlineData("tok,,1", "line 1: the user name is empty")]
    [InlineData("tok,alice,1,\"devs,ops", "line 1: a quoted field is not closed")]
    [InlineData("tok,alice,1\ntok,bob,2", "line 2: the token is already used on line 1")]
    public void A_bad_line_is_an_error_that_names_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<TokenFileException>(() => StaticTokenAuthenticator.Parse(text, "/etc/litekube/tokens.csv"));

        Assert.Equal($"token file /etc/litekube/tokens.csv, {expected}", error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_that_names_it()
    {
        var error = Assert.Throws<TokenFileException>(() => StaticTokenAuthenticator.Load("/nonexistent/tokens.csv"));

        Assert.StartsWith("token file /nonexistent/tokens.csv: cannot read it", error.Message);
    }
}
