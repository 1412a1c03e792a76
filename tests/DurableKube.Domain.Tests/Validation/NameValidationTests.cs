using DurableKube.Domain.Validation;

namespace DurableKube.Domain.Tests.Validation;

public class NameValidationTests
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [Theory]
    [InlineData("web", true)]
    [InlineData("web-1.example.com", true)]
    [InlineData("0abc", true)]
    [InlineData("Bad_Name", false)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("web..x", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("web\n", false)]
    public void IsDns1123Subdomain_accepts_only_subdomains(string name, bool valid)
    {
        var errors = NameValidation.IsDns1123Subdomain(name);

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Contains(SubdomainMessage, errors);
        }
    }

    [Fact]
    public void IsDns1123Subdomain_reports_length_over_253()
    {
        var errors = NameValidation.IsDns1123Subdomain(new string('a', 254));

        Assert.Equal(["must be no more than 253 characters"], errors);
    }

    [Theory]
    [InlineData("my-ns", true)]
    [InlineData("a.b", false)]
    [InlineData("UPPER", false)]
    public void IsDns1123Label_refuses_dots_and_capitals(string name, bool valid)
    {
        var errors = NameValidation.IsDns1123Label(name);

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Equal([LabelMessage], errors);
        }
    }

    [Fact]
    public void IsDns1123Label_reports_length_and_pattern_for_long_bad_names()
    {
        var errors = NameValidation.IsDns1123Label(new string('A', 64));

        Assert.Equal(["must be no more than 63 characters", LabelMessage], errors);
    }

    [Theory]
    [InlineData("app", 0)]
    [InlineData("example.com/app", 0)]
    [InlineData("app.kubernetes.io/name", 0)]
    [InlineData("/app", 1)]
    [InlineData("a/b/c", 1)]
    [InlineData("-app", 1)]
    [InlineData("Example.com/app", 1)]
    public void IsQualifiedName_checks_prefix_and_name(string key, int errorCount)
    {
        Assert.Equal(errorCount, NameValidation.IsQualifiedName(key).Count);
    }

    [Fact]
    public void IsQualifiedName_words_errors_like_the_api_server()
    {
        Assert.Equal(
            ["prefix part must be non-empty"],
            NameValidation.IsQualifiedName("/app"));
        Assert.Equal(
            ["name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            NameValidation.IsQualifiedName("-app"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2_3-x", true)]
    [InlineData("-x", false)]
    [InlineData("a b", false)]
    public void IsValidLabelValue_allows_empty_and_qualified_values(string value, bool valid)
    {
        Assert.Equal(valid, NameValidation.IsValidLabelValue(value).Count == 0);
    }

    [Fact]
    public void IsValidLabelValue_reports_values_over_63()
    {
        Assert.Equal(["must be no more than 63 characters"], NameValidation.IsValidLabelValue(new string('v', 64)));
    }

    [Theory]
    [InlineData("http", new string[0])]
    [InlineData("my-http-port-long", new[] { "must be no more than 15 characters" })]
    [InlineData("8080", new[] { "must contain at least one letter (a-z)" })]
    [InlineData("a--b", new[] { "must not contain consecutive hyphens" })]
    [InlineData("-ab", new[] { "must not begin or end with a hyphen" })]
    [InlineData("HTTP", new[] { "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)" })]
    public void IsValidPortName_follows_iana_service_names(string port, string[] expected)
    {
        Assert.Equal(expected, NameValidation.IsValidPortName(port));
    }

    [Theory]
    [InlineData("web-", true)]
    [InlineData("web", true)]
    [InlineData("Web-", false)]
    public void Generate_name_prefixes_may_end_with_a_dash(string prefix, bool valid)
    {
        Assert.Equal(valid, NameValidation.NameIsDnsSubdomain(prefix, prefix: true).Count == 0);
    }
}
