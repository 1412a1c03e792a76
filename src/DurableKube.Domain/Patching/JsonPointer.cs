using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace DurableKube.Domain.Patching;

/// <summary>A JSON pointer (RFC 6901): <c>""</c> for the whole document, else <c>/</c>-separated reference tokens
/// with <c>~1</c> for <c>/</c> and <c>~0</c> for <c>~</c>.</summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    public bool IsRoot => Tokens.Count == 0;

    /// <summary>Gets the last reference token (the member name or array index the pointer ends at).</summary>
    public string Last => Tokens[^1];

    /// <summary>Parses a pointer.</summary>
    /// <param name="text">The pointer text.</param>
    /// <returns>The pointer.</returns>
    /// <exception cref="PatchException">The text is not a JSON pointer.</exception>
    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw new PatchException($"invalid JSON pointer \"{text}\": it must be empty or start with \"/\"");
        }

        var tokens = new List<string>();
        foreach (var raw in text[1..].Split('/'))
        {
            var token = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '~')
                {
                    token.Append(raw[i]);
                }
                else if (i + 1 < raw.Length && raw[i + 1] is '0' or '1')
                {
                    token.Append(raw[++i] == '0' ? '~' : '/');
                }
                else
                {
                    throw new PatchException($"invalid JSON pointer \"{text}\": \"~\" must be followed by 0 or 1");
                }
            }

            tokens.Add(token.ToString());
        }

        return new JsonPointer(text, tokens);
    }

    /// <summary>Tells whether this pointer is a proper prefix of another (the other points inside this one's value).</summary>
    /// <param name="other">The other pointer.</param>
    /// <returns><see langword="true"/> when <paramref name="other"/> is below this pointer.</returns>
    public bool IsProperPrefixOf(JsonPointer other) =>
        other.Tokens.Count > Tokens.Count && Tokens.Select((token, i) => token == other.Tokens[i]).All(same => same);

    /// <summary>Finds the value the pointer refers to.</summary>
    /// <param name="document">The document.</param>
    /// <param name="value">The value found.</param>
    /// <returns>Whether the value exists.</returns>
    public bool TryGet(JsonNode? document, out JsonNode? value)
    {
        value = document;
        foreach (var token in Tokens)
        {
            switch (value)
            {
                case JsonObject map when map.TryGetPropertyValue(token, out var member):
                    value = member;
                    break;
                case JsonArray list when TryParseIndex(token, list.Count - 1, out var index):
                    value = list[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    /// <summary>Finds the container the last token of the pointer lives in.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The parent object or array, or <see langword="null"/> when it does not exist or is neither.</returns>
    public JsonNode? Parent(JsonNode? document)
    {
        var parent = new JsonPointer(Text, Tokens.Take(Tokens.Count - 1).ToList());
        return parent.TryGet(document, out var value) && value is JsonObject or JsonArray ? value : null;
    }

    /// <summary>Reads an array index token: digits without leading zeros, at most <paramref name="max"/>.</summary>
    /// <param name="token">The token.</param>
    /// <param name="max">The largest index allowed.</param>
    /// <param name="index">The index.</param>
    /// <returns>Whether the token is such an index.</returns>
    public static bool TryParseIndex(string token, int max, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index <= max;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
