using System.Text.Json.Nodes;

namespace DurableKube.Domain.Tests.Patching;

/// <summary>JSON written with single quotes in test tables, so the tables stay readable.</summary>
internal static class Json
{
    public static JsonNode? Parse(string singleQuoted) => JsonNode.Parse(singleQuoted.Replace('\'', '"'));

    public static string Text(string singleQuoted) => singleQuoted.Replace('\'', '"');

    public static void Equal(string expectedSingleQuoted, JsonNode? actual)
    {
        var expected = Parse(expectedSingleQuoted);
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected {expected?.ToJsonString() ?? "null"}{Environment.NewLine}but got  {actual?.ToJsonString() ?? "null"}");
    }
}
