using System.Globalization;
using System.Text;

namespace DurableKube.Domain.Validation;

/// <summary>
/// One validation failure of one field, worded as the API server words it
/// (apimachinery's <c>field.Error</c>): <c>spec.containers[0].image: Required value</c>.
/// </summary>
/// <param name="Type">What is wrong.</param>
/// <param name="Field">The field path, e.g. <c>spec.containers[0].image</c>.</param>
/// <param name="BadValue">The offending value, shown in the message for the types that show it.</param>
/// <param name="Detail">More explanation, appended after a colon; may be empty.</param>
public sealed record FieldError(FieldErrorType Type, string Field, object? BadValue, string Detail)
{
    /// <summary>Gets the cause type a Status carries for this error, e.g. <c>FieldValueRequired</c>.</summary>
    public string Reason => Type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        _ => "FieldValueTooMany",
    };

    /// <summary>Gets the message without the field path, as a Status cause carries it.</summary>
    public string Body
    {
        get
        {
            var text = new StringBuilder(TypeText(Type));
            if (Type is not (FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong))
            {
                text.Append(": ").Append(FormatValue(BadValue));
            }

            if (Detail.Length > 0)
            {
                text.Append(": ").Append(Detail);
            }

            return text.ToString();
        }
    }

    /// <summary>Creates a Required error.</summary>
    /// <param name="field">The field path.</param>
    /// <param name="detail">Optional explanation.</param>
    /// <returns>The error.</returns>
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, null, detail);

    /// <summary>Creates an Invalid error.</summary>
    /// <param name="field">The field path.</param>
    /// <param name="value">The bad value.</param>
    /// <param name="detail">Why it is invalid.</param>
    /// <returns>The error.</returns>
    public static FieldError Invalid(string field, object? value, string detail) => new(FieldErrorType.Invalid, field, value, detail);

    /// <summary>Creates a Duplicate error.</summary>
    /// <param name="field">The field path.</param>
    /// <param name="value">The repeated value.</param>
    /// <returns>The error.</returns>
    public static FieldError Duplicate(string field, object? value) => new(FieldErrorType.Duplicate, field, value, string.Empty);

    /// <summary>Creates a NotFound error.</summary>
    /// <param name="field">The field path.</param>
    /// <param name="value">The value that refers to nothing.</param>
    /// <returns>The error.</returns>
    public static FieldError NotFound(string field, object? value) => new(FieldErrorType.NotFound, field, value, string.Empty);

    /// <summary>Creates a Forbidden error.</summary>
    /// <param name="field">The field path.</param>
    /// <param name="detail">Why it is forbidden.</param>
    /// <returns>The error.</returns>
    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, null, detail);

    /// <summary>Creates a TooLong error (<c>may not be more than N bytes</c>).</summary>
    /// <param name="field">The field path.</param>
    /// <param name="maxLength">The limit in bytes.</param>
    /// <returns>The error.</returns>
    public static FieldError TooLong(string field, int maxLength) =>
        new(FieldErrorType.TooLong, field, null, string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}"));

    /// <summary>Creates a NotSupported error listing the supported values.</summary>
    /// <param name="field">The field path.</param>
    /// <param name="value">The unsupported value.</param>
    /// <param name="supported">The supported values, in the order to list them.</param>
    /// <returns>The error.</returns>
    public static FieldError NotSupported(string field, object? value, IEnumerable<string> supported)
    {
        ArgumentNullException.ThrowIfNull(supported);
        var list = supported.Select(GoQuote).ToList();
        return new(FieldErrorType.NotSupported, field, value, list.Count == 0 ? string.Empty : "supported values: " + string.Join(", ", list));
    }

    /// <summary>Quotes a string the way Go's <c>%q</c> does.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The quoted text.</returns>
    public static string GoQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                < ' ' or '\u007f' => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Field.Length == 0 ? Body : $"{Field}: {Body}";

    private static string TypeText(FieldErrorType type) => type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        _ => "Too many",
    };

    /// <summary>
    /// A bad value as the API server prints it: simple values as Go's <c>%v</c> and <c>%q</c>; a label map and a
    /// label selector as Go's <c>%#v</c> (<c>map[string]string{"app":"web", "tier":"frontend"}</c>, keys sorted;
    /// <c>v1.LabelSelector{MatchLabels:..., MatchExpressions:...}</c>); other structures as their JSON, where Go
    /// would print its own struct syntax.
    /// </summary>
    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => GoQuote(s),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<KeyValuePair<string, string>> map => GoStringMap(map),
        k8s.Models.V1LabelSelector selector => GoLabelSelector(selector),
        _ => Serialization.KubeJson.Serialize(value),
    };

    private static string GoStringMap(IEnumerable<KeyValuePair<string, string>>? map) =>
        map is null
            ? "map[string]string(nil)"
            : "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => GoQuote(p.Key) + ":" + GoQuote(p.Value))) + "}";

    private static string GoLabelSelector(k8s.Models.V1LabelSelector selector)
    {
        static string Strings(IList<string>? values) =>
            values is null ? "[]string(nil)" : "[]string{" + string.Join(", ", values.Select(GoQuote)) + "}";

        var expressions = selector.MatchExpressions is null
            ? "[]v1.LabelSelectorRequirement(nil)"
            : "[]v1.LabelSelectorRequirement{" + string.Join(", ", selector.MatchExpressions.Select(r =>
                $"v1.LabelSelectorRequirement{{Key:{GoQuote(r.Key ?? string.Empty)}, Operator:{GoQuote(r.OperatorProperty ?? string.Empty)}, Values:{Strings(r.Values)}}}")) + "}";
        return $"v1.LabelSelector{{MatchLabels:{GoStringMap(selector.MatchLabels)}, MatchExpressions:{expressions}}}";
    }
}
