using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Tables;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>Continue tokens: they carry the first page's version and where to go on, and only for their own list.</summary>
public sealed class ContinueTokenTests
{
    private const string Prefix = "obj!pods!default!";

    [Fact]
    public void Token_RoundTrips()
    {
        var token = ContinueToken.Encode(42, Prefix + "web");

        Assert.Equal((42L, Prefix + "web"), ContinueToken.Decode(token, Prefix));
        Assert.Equal((42L, Prefix + "web"), ContinueToken.Decode(token, "obj!pods!"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("MXwyfA")]
    public void Malformed_IsInvalidContinue(string token)
    {
        var error = Assert.Throws<StoreException>(() => ContinueToken.Decode(token, Prefix));

        Assert.Equal(StoreErrorKind.InvalidContinue, error.Kind);
    }

    [Theory]
    [InlineData("obj!pods!other!")]
    [InlineData("obj!nodes!")]
    public void TokenOfAnotherList_IsInvalidContinue(string otherPrefix)
    {
        var token = ContinueToken.Encode(42, Prefix + "web");

        Assert.Equal(StoreErrorKind.InvalidContinue, Assert.Throws<StoreException>(() => ContinueToken.Decode(token, otherPrefix)).Kind);
    }

    [Fact]
    public void TokenPointingAtThePrefixItself_IsInvalidContinue()
    {
        Assert.Equal(StoreErrorKind.InvalidContinue, Assert.Throws<StoreException>(() => ContinueToken.Decode(ContinueToken.Encode(1, Prefix), Prefix)).Kind);
    }
}
