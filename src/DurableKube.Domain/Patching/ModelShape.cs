using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DurableKube.Domain.Patching;

/// <summary>What JSON a position of a model holds, learnt by reflection over the KubernetesClient model
/// (its properties and their <see cref="JsonPropertyNameAttribute"/>), so a patch knows the type of every
/// nested field.</summary>
internal sealed class ModelShape
{
    private static readonly ConcurrentDictionary<Type, ModelShape> _shapes = new();

    private readonly Lazy<IReadOnlyDictionary<string, ModelField>> _fields;

    private ModelShape(ModelShapeKind kind, Type? clrType, ModelShape? element)
    {
        Kind = kind;
        ClrType = clrType;
        Element = element;
        _fields = new Lazy<IReadOnlyDictionary<string, ModelField>>(ReadFields);
    }

    /// <summary>Gets the shape of a position whose type is not known: anything goes, maps merge, lists are replaced.</summary>
    public static ModelShape Untyped { get; } = new(ModelShapeKind.Any, null, null);

    public ModelShapeKind Kind { get; }

    /// <summary>Gets the model type of an <see cref="ModelShapeKind.Object"/>.</summary>
    public Type? ClrType { get; }

    /// <summary>Gets the shape of the elements of a <see cref="ModelShapeKind.List"/> or the values of a <see cref="ModelShapeKind.Map"/>.</summary>
    public ModelShape? Element { get; }

    /// <summary>Gets a short name for messages, e.g. <c>V1PodSpec</c> or <c>list of V1Container</c>.</summary>
    public string Name => Kind switch
    {
        ModelShapeKind.Object => ClrType!.Name,
        ModelShapeKind.List => "list of " + Element!.Name,
        ModelShapeKind.Map => "map of " + Element!.Name,
        ModelShapeKind.Scalar => ClrType?.Name ?? "scalar",
        _ => "any",
    };

    public static ModelShape Of(Type type) => _shapes.GetOrAdd(type, Create);

    /// <summary>Finds a field of an object by its JSON name.</summary>
    /// <param name="jsonName">The JSON name.</param>
    /// <returns>The field, or <see langword="null"/> when the object has no such field.</returns>
    public ModelField? Field(string jsonName) =>
        Kind == ModelShapeKind.Object && _fields.Value.TryGetValue(jsonName, out var field) ? field : null;

    /// <summary>Tells whether a JSON value fits this shape, as far as the value's kind (object, array, scalar) goes.</summary>
    /// <param name="value">The value; <see langword="null"/> always fits.</param>
    /// <returns><see langword="true"/> when it fits.</returns>
    public bool Accepts(JsonNode? value) => value switch
    {
        null => true,
        JsonObject => Kind is ModelShapeKind.Object or ModelShapeKind.Map or ModelShapeKind.Any,
        JsonArray => Kind is ModelShapeKind.List or ModelShapeKind.Any,
        _ => Kind is ModelShapeKind.Scalar or ModelShapeKind.Any,
    };

    private static ModelShape Create(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string) || underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(decimal) ||
            underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset) || underlying == typeof(TimeSpan) ||
            underlying == typeof(Guid) || underlying == typeof(byte[]))
        {
            return new ModelShape(ModelShapeKind.Scalar, underlying, null);
        }

        // object, JsonElement, JsonNode, and types with their own converter (IntOrString, ResourceQuantity).
        if (underlying == typeof(object) || underlying.IsValueType || typeof(JsonNode).IsAssignableFrom(underlying) ||
            underlying.GetCustomAttribute<JsonConverterAttribute>() is not null)
        {
            return Untyped;
        }

        var dictionary = FindGeneric(underlying, typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            return new ModelShape(ModelShapeKind.Map, underlying, Of(dictionary.GetGenericArguments()[1]));
        }

        var enumerable = FindGeneric(underlying, typeof(IEnumerable<>));
        if (enumerable is not null)
        {
            return new ModelShape(ModelShapeKind.List, underlying, Of(enumerable.GetGenericArguments()[0]));
        }

        return new ModelShape(ModelShapeKind.Object, underlying, null);
    }

    private static Type? FindGeneric(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type;
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
    }

    private Dictionary<string, ModelField> ReadFields()
    {
        var fields = new Dictionary<string, ModelField>(StringComparer.Ordinal);
        foreach (var property in ClrType!.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
            fields[name] = new ModelField(name, ClrType, Of(property.PropertyType), PatchStrategyTable.Lookup(ClrType, name));
        }

        return fields;
    }
}
