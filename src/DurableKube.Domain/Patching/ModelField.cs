namespace DurableKube.Domain.Patching;

/// <summary>One field of a model object: its JSON name, the model that holds it, its shape and its patch rule.</summary>
/// <param name="Name">The JSON name.</param>
/// <param name="Owner">The model type that holds the field.</param>
/// <param name="Shape">What the field holds.</param>
/// <param name="Rule">The patch strategy and merge key.</param>
internal sealed record ModelField(string Name, Type Owner, ModelShape Shape, PatchFieldRule Rule);
