using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace DurableKube.Domain.Serialization;

/// <summary>
/// Kubernetes JSON with a type known only at run time. KubernetesClient's <see cref="KubernetesJson"/>
/// is generic-only; this uses the very same serializer options (its converters for quantities,
/// IntOrString, timestamps), so both produce identical JSON.
/// </summary>
public static class KubeJson
{
    /// <summary>Gets KubernetesClient's serializer options. Shared: never change them.</summary>
    public static JsonSerializerOptions Options { get; } = CaptureOptions();

    /// <summary>Gets the same options, but refusing fields the model does not have (for <c>fieldValidation=Strict</c>).</summary>
    public static JsonSerializerOptions StrictOptions { get; } = new(Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Deserializes JSON text into an object of <paramref name="type"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="type">The model type.</param>
    /// <returns>The object, or <see langword="null"/> for JSON <c>null</c>.</returns>
    public static object? Deserialize(string json, Type type) => JsonSerializer.Deserialize(json, type, Options);

    /// <summary>Deserializes a JSON node into an object of <paramref name="type"/>.</summary>
    /// <param name="node">The JSON.</param>
    /// <param name="type">The model type.</param>
    /// <returns>The object, or <see langword="null"/> for JSON <c>null</c>.</returns>
    public static object? Deserialize(JsonNode? node, Type type) => node.Deserialize(type, Options);

    /// <summary>Serializes an object to JSON text, leaving out null fields.</summary>
    /// <param name="value">The object.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(object? value) => KubernetesJson.Serialize(value!);

    /// <summary>Serializes an object to a JSON node.</summary>
    /// <param name="value">The object.</param>
    /// <returns>The JSON node.</returns>
    public static JsonNode? ToNode(object? value) => JsonSerializer.SerializeToNode(value, Options);

    /// <summary>Copies an object by a JSON round trip.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="value">The object.</param>
    /// <returns>An independent copy.</returns>
    public static T Clone<T>(T value)
        where T : class => (T)Deserialize(Serialize(value), value.GetType())!;

    private static JsonSerializerOptions CaptureOptions()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(options => captured = options);
        return captured ?? throw new InvalidOperationException("KubernetesClient did not hand out its JSON options.");
    }
}
