using System.Text.Json.Nodes;

namespace DurableKube.Api.Content;

/// <summary>A request body parsed to JSON, with the paths of any fields it repeated (the last one wins).</summary>
/// <param name="Node">The JSON.</param>
/// <param name="DuplicateFields">Paths of repeated fields, e.g. <c>metadata.name</c>.</param>
internal sealed record ParsedBody(JsonNode? Node, IReadOnlyList<string> DuplicateFields);
