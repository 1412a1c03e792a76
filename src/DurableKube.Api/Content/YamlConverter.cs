using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableKube.Domain.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DurableKube.Api.Content;

/// <summary>
/// YAML to JSON and back, as the API server's sigs.k8s.io/yaml does: one document, mapping keys as
/// strings, plain scalars resolved to null, booleans and numbers (YAML 1.1 forms included), quoted
/// scalars kept as strings. Alias expansion is bounded, so a "billion laughs" body is refused.
/// </summary>
internal static partial class YamlConverter
{
    private const int MaxNodes = 1_000_000;

    /// <summary>Converts one YAML document; nesting deeper than <paramref name="maxDepth"/> is a <see cref="BodyFormatException"/>.</summary>
    public static ParsedBody ToJson(string text, int maxDepth = JsonBodyParser.DefaultMaxDepth)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return new ParsedBody(null, []);
            }

            parser.Consume<DocumentStart>();
            var state = new State { MaxDepth = maxDepth };
            var node = Read(parser, string.Empty, state);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                throw new BodyFormatException("error converting YAML to JSON: yaml: the body holds more than one document");
            }

            return new ParsedBody(node, state.Duplicates);
        }
        catch (YamlException e)
        {
            throw new BodyFormatException($"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}", e);
        }
    }

    public static string ToYaml(JsonNode? node)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Write(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static JsonNode? Read(IParser parser, string path, State state)
    {
        if (++state.Nodes > MaxNodes)
        {
            throw new BodyFormatException("error converting YAML to JSON: yaml: document is too large or too deeply aliased");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!state.Anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new BodyFormatException($"error converting YAML to JSON: yaml: unknown anchor '{alias.Value.Value}' referenced");
            }

            state.Nodes += target.Count;
            if (state.Nodes > MaxNodes)
            {
                throw new BodyFormatException("error converting YAML to JSON: yaml: document is too large or too deeply aliased");
            }

            return target.Node?.DeepClone();
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var value = Resolve(scalar);
            Remember(scalar.Anchor, value, 1, state);
            return value;
        }

        var start = state.Nodes;
        // A sequence or a mapping (anything else fails to parse as one). The parser keeps no stack, this reader
        // does: bound it, or a body of a million '[' overflows it and ends the process.
        if (++state.Depth > state.MaxDepth)
        {
            throw new BodyFormatException($"error converting YAML to JSON: yaml: exceeded max depth of {state.MaxDepth}");
        }

        try
        {
            return ReadCollection(parser, path, state, start);
        }
        finally
        {
            state.Depth--;
        }
    }

    private static JsonNode ReadCollection(IParser parser, string path, State state, int start)
    {
        if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            var array = new JsonArray();
            var i = 0;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(Read(parser, path.Index(i++), state));
            }

            Remember(sequence.Anchor, array, state.Nodes - start, state);
            return array;
        }

        var mapping = parser.Consume<MappingStart>();
        var obj = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var key))
            {
                throw new BodyFormatException("error converting YAML to JSON: yaml: only scalar mapping keys are supported");
            }

            var name = key.Value;
            var value = Read(parser, path.Child(name), state);
            if (name == "<<" && key.Style == ScalarStyle.Plain && value is JsonObject merged)
            {
                foreach (var (k, v) in merged.ToList())
                {
                    if (!obj.ContainsKey(k))
                    {
                        obj[k] = v?.DeepClone();
                    }
                }

                continue;
            }

            if (obj.ContainsKey(name))
            {
                state.Duplicates.Add(path.Child(name));
                obj.Remove(name);
            }

            obj[name] = value;
        }

        Remember(mapping.Anchor, obj, state.Nodes - start, state);
        return obj;
    }

    private static void Remember(AnchorName anchor, JsonNode? node, int count, State state)
    {
        if (!anchor.IsEmpty)
        {
            state.Anchors[anchor.Value] = (node, count);
        }
    }

    private static JsonValue? Resolve(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Tag.IsEmpty is false)
        {
            var tag = scalar.Tag.Value;
            if (tag is "tag:yaml.org,2002:str" or "!!str")
            {
                return JsonValue.Create(text);
            }
        }

        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }

        if (Integer().IsMatch(text))
        {
            var clean = text.Replace("_", string.Empty, StringComparison.Ordinal);
            var negative = clean.StartsWith('-');
            var digits = clean.TrimStart('+', '-');
            long? value = digits switch
            {
                _ when digits.StartsWith("0x", StringComparison.Ordinal) => ParseBase(digits[2..], 16),
                _ when digits.StartsWith("0b", StringComparison.Ordinal) => ParseBase(digits[2..], 2),
                _ when digits.StartsWith("0o", StringComparison.Ordinal) => ParseBase(digits[2..], 8),
                _ when digits.Length > 1 && digits[0] == '0' => ParseBase(digits[1..], 8),
                _ => long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null,
            };
            if (value is { } v)
            {
                return JsonValue.Create(negative ? -v : v);
            }

            if (decimal.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            {
                return JsonValue.Create(big);
            }
        }

        if (Float().IsMatch(text) && double.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        if (text is ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or ".nan" or ".NaN" or ".NAN")
        {
            throw new BodyFormatException($"error converting YAML to JSON: json: unsupported value: {text}");
        }

        return JsonValue.Create(text);
    }

    private static long? ParseBase(string digits, int radix)
    {
        if (digits.Length == 0)
        {
            return null;
        }

        try
        {
            return Convert.ToInt64(digits, radix);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    private static void Write(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    WriteString(emitter, key);
                    Write(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Write(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                if (node.GetValueKind() == JsonValueKind.String)
                {
                    WriteString(emitter, node.GetValue<string>());
                }
                else
                {
                    emitter.Emit(new Scalar(null, null, node.ToJsonString(), ScalarStyle.Plain, true, false));
                }

                break;
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        var ambiguous = Resolve(new Scalar(null, null, text, ScalarStyle.Plain, true, false)) is not JsonValue v
            || v.GetValueKind() != JsonValueKind.String;
        var style = ambiguous ? ScalarStyle.DoubleQuoted : text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }

    [GeneratedRegex(@"^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Float();

    private sealed class State
    {
        public int Nodes { get; set; }

        public int Depth { get; set; }

        public int MaxDepth { get; init; } = JsonBodyParser.DefaultMaxDepth;

        public Dictionary<string, (JsonNode? Node, int Count)> Anchors { get; } = new(StringComparer.Ordinal);

        public List<string> Duplicates { get; } = [];
    }
}
