namespace DurableKube.Domain.Patching;

/// <summary>The JSON kind a model position holds.</summary>
internal enum ModelShapeKind
{
    /// <summary>Not known: any JSON.</summary>
    Any,

    /// <summary>A string, number or boolean.</summary>
    Scalar,

    /// <summary>A model object with named fields.</summary>
    Object,

    /// <summary>A map from string keys to values of one shape.</summary>
    Map,

    /// <summary>A list of values of one shape.</summary>
    List,
}
