using System.Globalization;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Selectors;

/// <summary>
/// A label selector (apimachinery's <c>labels.Selector</c>): parsed from the text form of
/// <c>?labelSelector=</c> (<c>a=b,c!=d,e in (f,g),h notin (i),j,!k</c>) or built from a
/// <see cref="V1LabelSelector"/> (<c>matchLabels</c> and <c>matchExpressions</c>).
/// </summary>
public sealed class LabelSelector
{
    private readonly bool _nothing;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool nothing)
    {
        Requirements = requirements;
        _nothing = nothing;
    }

    /// <summary>Gets a selector that matches everything (the empty selector).</summary>
    public static LabelSelector Everything { get; } = new([], nothing: false);

    /// <summary>Gets a selector that matches nothing (what a missing selector means for a controller).</summary>
    public static LabelSelector Nothing { get; } = new([], nothing: true);

    /// <summary>Gets the requirements, all of which must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>Gets a value indicating whether this selector matches every object.</summary>
    public bool IsEverything => !_nothing && Requirements.Count == 0;

    /// <summary>Parses the text form of a selector.</summary>
    /// <param name="text">The selector; empty or <see langword="null"/> selects everything.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="SelectorParseException">The text is not a valid selector.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new LabelSelectorParser(text).Parse();
        return new LabelSelector(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList(), nothing: false);
    }

    /// <summary>Builds a selector from an object's selector field, as controllers use it.</summary>
    /// <param name="selector">The selector; <see langword="null"/> matches nothing, an empty one everything.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="SelectorParseException">An operator or value is invalid.</exception>
    public static LabelSelector FromLabelSelector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            requirements.Add(Create(key, LabelOperator.Equals, [value ?? string.Empty]));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var op = expression.OperatorProperty switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                "DoesNotExist" => LabelOperator.DoesNotExist,
                _ => throw new SelectorParseException($"\"{expression.OperatorProperty}\" is not a valid label selector operator"),
            };
            requirements.Add(Create(expression.Key ?? string.Empty, op, [.. expression.Values ?? []]));
        }

        return new LabelSelector(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList(), nothing: false);
    }

    /// <summary>Creates and validates one requirement (apimachinery's <c>NewRequirement</c>).</summary>
    /// <param name="key">The label key, a qualified name.</param>
    /// <param name="op">The operator.</param>
    /// <param name="values">The values.</param>
    /// <returns>The requirement.</returns>
    /// <exception cref="SelectorParseException">The key, the values or their number are invalid.</exception>
    public static LabelRequirement Create(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        if (NameValidation.IsQualifiedName(key) is { Count: > 0 } keyErrors)
        {
            throw new SelectorParseException($"key: Invalid value: {FieldError.GoQuote(key)}: {keyErrors[0]}");
        }

        switch (op)
        {
            case LabelOperator.In or LabelOperator.NotIn when values.Count == 0:
                throw new SelectorParseException("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
            case LabelOperator.Equals or LabelOperator.NotEquals when values.Count != 1:
                throw new SelectorParseException("values: Invalid value: " + GoList(values) + ": exact-match compatibility requires one single value");
            case LabelOperator.Exists or LabelOperator.DoesNotExist when values.Count != 0:
                throw new SelectorParseException("values: Invalid value: " + GoList(values) + ": values set must be empty for exists and does not exist");
            case LabelOperator.GreaterThan or LabelOperator.LessThan:
                if (values.Count != 1)
                {
                    throw new SelectorParseException("values: Invalid value: " + GoList(values) + ": for 'Gt', 'Lt' operators, exactly one value is required");
                }

                if (!long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    throw new SelectorParseException($"values[0]: Invalid value: {FieldError.GoQuote(values[0])}: for 'Gt', 'Lt' operators, the value must be an integer");
                }

                return new LabelRequirement(key, op, values);
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (NameValidation.IsValidLabelValue(values[i]) is { Count: > 0 } valueErrors)
            {
                throw new SelectorParseException(string.Create(CultureInfo.InvariantCulture, $"values[{i}][{key}]: Invalid value: {FieldError.GoQuote(values[i])}: {valueErrors[0]}"));
            }
        }

        return new LabelRequirement(key, op, values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Whether a set of labels meets every requirement.</summary>
    /// <param name="labels">The labels; <see langword="null"/> is no labels.</param>
    /// <returns>Whether it matches.</returns>
    public bool Matches(IDictionary<string, string>? labels) => !_nothing && Requirements.All(r => r.Matches(labels));

    /// <inheritdoc />
    public override string ToString() => string.Join(",", Requirements);

    private static string GoList(IEnumerable<string> values) => "[]string{" + string.Join(", ", values.Select(FieldError.GoQuote)) + "}";

    /// <summary>The lexer and parser of apimachinery's label selector grammar.</summary>
    private sealed class LabelSelectorParser(string text)
    {
        private const string Special = "!(),=<>";
        private readonly List<(Token Token, string Literal)> _tokens = Lex(text);
        private int _position;

        private enum Token
        {
            Identifier,
            Not,
            NotEquals,
            Equals,
            DoubleEquals,
            In,
            NotIn,
            Open,
            Close,
            Comma,
            GreaterThan,
            LessThan,
            End,
        }

        public List<LabelRequirement> Parse()
        {
            var requirements = new List<LabelRequirement>();
            while (true)
            {
                var (token, literal) = Peek(values: false);
                switch (token)
                {
                    case Token.Identifier or Token.Not:
                        requirements.Add(ParseRequirement());
                        var (next, nextLiteral) = Consume(values: false);
                        if (next == Token.End)
                        {
                            return requirements;
                        }

                        if (next != Token.Comma)
                        {
                            throw Fail(nextLiteral, "',' or 'end of string'");
                        }

                        var (after, afterLiteral) = Peek(values: false);
                        if (after is not (Token.Identifier or Token.Not))
                        {
                            throw Fail(afterLiteral, "identifier after ','");
                        }

                        break;
                    case Token.End:
                        return requirements;
                    default:
                        throw Fail(literal, "!, identifier, or 'end of string'");
                }
            }
        }

        private static SelectorParseException Fail(string literal, string expected) =>
            new($"unable to parse requirement: found '{literal}', expected: {expected}");

        private static List<(Token, string)> Lex(string text)
        {
            var tokens = new List<(Token, string)>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                if (Special.Contains(c, StringComparison.Ordinal))
                {
                    var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                    switch (two)
                    {
                        case "!=":
                            tokens.Add((Token.NotEquals, two));
                            i += 2;
                            continue;
                        case "==":
                            tokens.Add((Token.DoubleEquals, two));
                            i += 2;
                            continue;
                    }

                    tokens.Add((c switch
                    {
                        '!' => Token.Not,
                        '(' => Token.Open,
                        ')' => Token.Close,
                        ',' => Token.Comma,
                        '=' => Token.Equals,
                        '<' => Token.LessThan,
                        _ => Token.GreaterThan,
                    }, c.ToString()));
                    i++;
                    continue;
                }

                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && !Special.Contains(text[i], StringComparison.Ordinal))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add((word switch { "in" => Token.In, "notin" => Token.NotIn, _ => Token.Identifier }, word));
            }

            tokens.Add((Token.End, string.Empty));
            return tokens;
        }

        private (Token Token, string Literal) Peek(bool values)
        {
            var (token, literal) = _tokens[Math.Min(_position, _tokens.Count - 1)];
            return values && token is Token.In or Token.NotIn ? (Token.Identifier, literal) : (token, literal);
        }

        private (Token Token, string Literal) Consume(bool values)
        {
            var result = Peek(values);
            _position++;
            return result;
        }

        private LabelRequirement ParseRequirement()
        {
            var (token, literal) = Consume(values: false);
            if (token == Token.Not)
            {
                var (keyToken, key) = Consume(values: false);
                if (keyToken != Token.Identifier)
                {
                    throw Fail(key, "identifier after '!'");
                }

                return Create(key, LabelOperator.DoesNotExist, []);
            }

            var (next, _) = Peek(values: false);
            if (next is Token.End or Token.Comma)
            {
                return Create(literal, LabelOperator.Exists, []);
            }

            var (opToken, opLiteral) = Consume(values: false);
            var op = opToken switch
            {
                Token.Equals or Token.DoubleEquals => LabelOperator.Equals,
                Token.NotEquals => LabelOperator.NotEquals,
                Token.In => LabelOperator.In,
                Token.NotIn => LabelOperator.NotIn,
                Token.GreaterThan => LabelOperator.GreaterThan,
                Token.LessThan => LabelOperator.LessThan,
                _ => throw Fail(opLiteral, "[!= = == in notin gt lt]"),
            };
            return Create(literal, op, op is LabelOperator.In or LabelOperator.NotIn ? ParseValues() : ParseExactValue());
        }

        private List<string> ParseExactValue()
        {
            var (token, literal) = Peek(values: true);
            if (token is Token.End or Token.Comma)
            {
                return [string.Empty];
            }

            _position++;
            return token == Token.Identifier ? [literal] : throw Fail(literal, "identifier");
        }

        private List<string> ParseValues()
        {
            var (open, openLiteral) = Consume(values: true);
            if (open != Token.Open)
            {
                throw Fail(openLiteral, "'('");
            }

            var values = new List<string>();
            var (first, _) = Peek(values: true);
            if (first == Token.Close)
            {
                _position++;
                return [string.Empty];
            }

            while (true)
            {
                var (token, literal) = Consume(values: true);
                if (token == Token.Identifier)
                {
                    values.Add(literal);
                    (token, literal) = Consume(values: true);
                }
                else if (token == Token.Comma)
                {
                    values.Add(string.Empty);
                    continue;
                }

                if (token == Token.Close)
                {
                    return values;
                }

                if (token != Token.Comma)
                {
                    throw Fail(literal, "',' or ')'");
                }

                var (peek, _) = Peek(values: true);
                if (peek == Token.Close)
                {
                    values.Add(string.Empty);
                }
            }
        }
    }
}
