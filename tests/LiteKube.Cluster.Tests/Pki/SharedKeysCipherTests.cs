using System.Text;
using LiteKube.Cluster.Pki;

namespace LiteKube.Cluster.Tests.Pki;

public sealed class SharedKeysCipherTests
{
    private static readonly SharedKeys Keys = new("-----BEGIN CERTIFICATE-----\nca\n", "-----BEGIN PRIVATE KEY-----\nca-key\n", "-----BEGIN PRIVATE KEY-----\nsa\n");

    [Fact]
    public void Keys_sealed_with_the_token_open_with_it_and_do_not_show_in_the_record()
    {
        var record = SharedKeysCipher.Seal(Keys, "s3cret-token");

        Assert.Equal(Keys, SharedKeysCipher.Open(record, "s3cret-token"));
        Assert.DoesNotContain("ca-key", Encoding.UTF8.GetString(record), StringComparison.Ordinal);
        Assert.NotEqual(record, SharedKeysCipher.Seal(Keys, "s3cret-token")); // fresh salt and nonce each time
    }

    [Fact]
    public void Another_token_opens_nothing() =>
        Assert.Null(SharedKeysCipher.Open(SharedKeysCipher.Seal(Keys, "right"), "wrong"));

    [Fact]
    public void An_altered_record_opens_nothing()
    {
        var record = Encoding.UTF8.GetString(SharedKeysCipher.Seal(Keys, "t"));
        var cipherAt = record.IndexOf("\"cipher\":\"", StringComparison.Ordinal) + 10;
        var altered = record[..cipherAt] + (record[cipherAt] == 'A' ? 'B' : 'A') + record[(cipherAt + 1)..];

        Assert.Null(SharedKeysCipher.Open(Encoding.UTF8.GetBytes(altered), "t"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\":2}")]
    public void A_record_that_is_not_sealed_keys_is_a_format_error(string record) =>
        Assert.Throws<FormatException>(() => SharedKeysCipher.Open(Encoding.UTF8.GetBytes(record), "t"));
}
