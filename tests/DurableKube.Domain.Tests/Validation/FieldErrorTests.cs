using DurableKube.Domain.Validation;

namespace DurableKube.Domain.Tests.Validation;

public class FieldErrorTests
{
    public static TheoryData<FieldError, string, string> Errors => new()
    {
        { FieldError.Required("spec.containers"), "spec.containers: Required value", "FieldValueRequired" },
        { FieldError.Required("metadata.name", "name or generateName is required"), "metadata.name: Required value: name or generateName is required", "FieldValueRequired" },
        { FieldError.Invalid("metadata.name", "Bad_Name", "oops"), "metadata.name: Invalid value: \"Bad_Name\": oops", "FieldValueInvalid" },
        { FieldError.Invalid("spec.containers[0].ports[0].containerPort", 70000, "must be between 1 and 65535, inclusive"), "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive", "FieldValueInvalid" },
        { FieldError.Duplicate("spec.containers[1].name", "app"), "spec.containers[1].name: Duplicate value: \"app\"", "FieldValueDuplicate" },
        { FieldError.NotSupported("spec.restartPolicy", "Sometimes", ["Always", "Never", "OnFailure"]), "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\"", "FieldValueNotSupported" },
        { FieldError.Forbidden("spec", "no"), "spec: Forbidden: no", "FieldValueForbidden" },
        { FieldError.TooLong("metadata.annotations", 262144), "metadata.annotations: Too long: may not be more than 262144 bytes", "FieldValueTooLong" },
        { FieldError.NotFound("spec.containers[0].volumeMounts[0].name", "data"), "spec.containers[0].volumeMounts[0].name: Not found: \"data\"", "FieldValueNotFound" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Errors_are_worded_like_the_api_server(FieldError error, string message, string reason)
    {
        Assert.Equal(message, error.ToString());
        Assert.Equal(reason, error.Reason);
        Assert.Equal(message[(error.Field.Length + 2)..], error.Body);
    }

    [Theory]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    [InlineData("tab\t", "\"tab\\t\"")]
    [InlineData("\u0001", "\"\\x01\"")]
    public void GoQuote_escapes_like_go(string value, string expected)
    {
        Assert.Equal(expected, FieldError.GoQuote(value));
    }
}
