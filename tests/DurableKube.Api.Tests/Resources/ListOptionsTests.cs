using DurableKube.Api.Resources;

namespace DurableKube.Api.Tests.Resources;

public class ListOptionsTests
{
    [Theory]
    // Lists (the API server's ValidateListOptions).
    [InlineData(false, null, null, null, null, "")]
    [InlineData(false, "5", "Exact", null, null, "")]
    [InlineData(false, "0", "NotOlderThan", null, null, "")]
    [InlineData(false, null, "NotOlderThan", null, null, "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData(false, "5", "Exact", null, "tok", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided")]
    [InlineData(false, "5", "bogus", null, null, "resourceVersionMatch: Unsupported value: \"bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData(false, "0", "Exact", null, null, "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData(false, null, null, true, null, "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list")]
    // Watches (validateWatchOptions, the WatchList feature on).
    [InlineData(true, null, null, null, null, "")]
    [InlineData(true, "7", null, null, null, "")]
    [InlineData(true, null, "NotOlderThan", true, null, "")]
    [InlineData(true, "7", "NotOlderThan", false, null, "")]
    [InlineData(true, null, "NotOlderThan", null, null, "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    [InlineData(true, null, null, true, null, "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]
    [InlineData(true, null, "Exact", true, null, "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan|resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"")]
    [InlineData(true, null, "NotOlderThan", true, "tok", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided")]
    public void Options_are_checked_as_the_api_server_checks_them(bool watch, string? rv, string? match, bool? sendInitialEvents, string? continueToken, string expected)
    {
        var errors = new ListOptions(rv, match, sendInitialEvents, continueToken).Validate(watch);

        Assert.Equal(expected, string.Join("|", errors.Select(e => e.ToString())));
    }

    [Theory]
    [InlineData(null, null, 10UL, 10UL, null)]
    [InlineData("0", null, 10UL, 10UL, null)]
    [InlineData("10", "Exact", 10UL, 10UL, null)]
    [InlineData("8", "NotOlderThan", 10UL, 10UL, null)]
    [InlineData("8", null, 10UL, 10UL, null)]
    [InlineData("8", "Exact", 10UL, 10UL, 410)]
    [InlineData("11", "NotOlderThan", 10UL, 10UL, 504)]
    [InlineData("11", "Exact", 10UL, 10UL, 504)]
    [InlineData("11", null, 10UL, 10UL, 504)]
    public void A_resource_version_the_store_cannot_serve_is_refused(string? rv, string? match, ulong current, ulong listed, int? code)
    {
        var options = new ListOptions(rv, match, null, null);

        var error = options.CheckBefore(current) ?? options.CheckAfter(listed);

        Assert.Equal(code, error?.Status.Code);
    }
}
