using System.Globalization;
using DurableKube.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Resources;

/// <summary>Reads the query parameters the API server understands, refusing malformed values with 400.</summary>
internal static class RequestOptions
{
    public static string? String(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    public static bool Bool(IQueryCollection query, string name)
    {
        var text = String(query, name);
        return text switch
        {
            null or "" => false,
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw StatusErrors.BadRequest($"invalid value for {name}: strconv.ParseBool: parsing {Domain.Validation.FieldError.GoQuote(text)}: invalid syntax"),
        };
    }

    public static long? Long(IQueryCollection query, string name)
    {
        var text = String(query, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StatusErrors.BadRequest($"invalid value for {name}: strconv.ParseInt: parsing {Domain.Validation.FieldError.GoQuote(text)}: invalid syntax");
    }

    public static FieldValidation FieldValidation(IQueryCollection query) => String(query, "fieldValidation") switch
    {
        null or "" or "Warn" => Resources.FieldValidation.Warn,
        "Strict" => Resources.FieldValidation.Strict,
        "Ignore" => Resources.FieldValidation.Ignore,
        var other => throw StatusErrors.BadRequest($"fieldValidation parameter unsupported: {other}; must be one of \"Ignore\", \"Warn\" or \"Strict\""),
    };

    public static bool DryRun(IQueryCollection query)
    {
        if (!query.TryGetValue("dryRun", out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            if (value != "All")
            {
                throw StatusErrors.BadRequest($"dryRun: Unsupported value: \"{value}\": supported values: \"All\"");
            }
        }

        return values.Count > 0;
    }

    /// <summary>Checks a resourceVersion parameter is a store version (a decimal number).</summary>
    public static string? ResourceVersion(IQueryCollection query)
    {
        var text = String(query, "resourceVersion");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? text
            : throw StatusErrors.BadRequest($"invalid resource version {Domain.Validation.FieldError.GoQuote(text)}");
    }
}
