using System.Buffers;
using System.Text;
using DurableKube.Api.Errors;
using DurableKube.Domain.Kinds;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Content;

/// <summary>Reads request bodies within the API server's size limit and parses them as JSON or YAML.</summary>
internal static class BodyReader
{
    public const string UnsupportedBodyMessage =
        "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml";

    /// <summary>Reads the raw body, refusing one over <paramref name="limit"/> bytes (413).</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw StatusErrors.TooLarge(limit);
        }

        var buffer = new ArrayBufferWriter<byte>();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await request.Body.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                break;
            }

            if (buffer.WrittenCount + read > limit)
            {
                throw StatusErrors.TooLarge(limit);
            }

            buffer.Write(chunk.AsSpan(0, read));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Parses a body by its media type: JSON (also when none is given), YAML, or protobuf for the kinds
    /// whose message layout <paramref name="kinds"/> knows; anything else is 415. JSON and YAML may nest
    /// <paramref name="maxDepth"/> levels (400 beyond).
    /// </summary>
    public static ParsedBody Parse(byte[] body, MediaType? contentType, KindRegistry kinds, int maxDepth = JsonBodyParser.DefaultMaxDepth)
    {
        switch (contentType?.Type ?? MediaType.Json)
        {
            case MediaType.Json:
                return body.Length == 0 ? new ParsedBody(null, []) : JsonBodyParser.Parse(body, maxDepth);
            case MediaType.Yaml:
                string text;
                try
                {
                    text = new UTF8Encoding(false, true).GetString(body);
                }
                catch (DecoderFallbackException e)
                {
                    throw new BodyFormatException("error converting YAML to JSON: yaml: invalid UTF-8", e);
                }

                return YamlConverter.ToJson(text, maxDepth);
            case MediaType.Protobuf:
                return new ParsedBody(
                    Protobuf.ProtobufBodyDecoder.Decode(body, kinds) ?? throw StatusErrors.UnsupportedMediaType(
                        UnsupportedBodyMessage + $" (protobuf is decoded for {string.Join(", ", kinds.All.Where(Protobuf.ProtobufBodyDecoder.Decodes).Select(k => k.Type.Kind))} only)"),
                    []);
            default:
                throw StatusErrors.UnsupportedMediaType(UnsupportedBodyMessage);
        }
    }
}
