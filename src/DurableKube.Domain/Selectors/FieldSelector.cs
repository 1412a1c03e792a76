using System.Text;

namespace DurableKube.Domain.Selectors;

/// <summary>
/// A field selector (apimachinery's <c>fields.Selector</c>): comma-separated terms
/// <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>, with <c>\,</c>, <c>\=</c> and
/// <c>\\</c> escaping those characters in values.
/// </summary>
public sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    /// <summary>Gets a selector that matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>Gets the terms, all of which must hold.</summary>
    public IReadOnlyList<FieldRequirement> Requirements { get; }

    /// <summary>Parses a selector.</summary>
    /// <param name="text">The selector; empty or <see langword="null"/> selects everything.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="SelectorParseException">The text is not a valid selector.</exception>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var part in SplitTerms(text).Order(StringComparer.Ordinal))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var (field, op, value) = SplitTerm(part)
                ?? throw new SelectorParseException($"invalid selector: '{text}'; can't understand '{part}'");
            requirements.Add(new FieldRequirement(field, UnescapeValue(value), op == "!="));
        }

        return new FieldSelector(requirements);
    }

    /// <summary>Escapes <c>\</c>, <c>,</c> and <c>=</c> in a value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The escaped value.</returns>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);
    }

    /// <summary>Whether an object's fields meet every term.</summary>
    /// <param name="fields">The object's selectable fields; a missing one counts as empty.</param>
    /// <returns>Whether it matches.</returns>
    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Requirements.All(r => r.Matches(fields.GetValueOrDefault(r.Field)));
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", Requirements);

    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    private static (string Field, string Op, string Value)? SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            foreach (var op in (string[])["!=", "==", "="])
            {
                if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
                {
                    return (term[..i], op, term[(i + op.Length)..]);
                }
            }
        }

        return null;
    }

    private static string UnescapeValue(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal) && !value.Contains(',', StringComparison.Ordinal) && !value.Contains('=', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (i + 1 >= value.Length || value[i + 1] is not ('\\' or ',' or '='))
                {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: " + value[i..Math.Min(i + 2, value.Length)]);
                }

                text.Append(value[++i]);
            }
            else if (c is ',' or '=')
            {
                throw new SelectorParseException("invalid field selector: unescaped character in value: " + c);
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
