namespace DurableKube.Workflows.Controllers;

/// <summary>The object a controller workflow tends: a reference, never the object (the activity reads it).</summary>
/// <param name="Resource">Its group-qualified resource, e.g. <c>replicasets.apps</c>.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its uid: an object created again under the same name is another one, with another workflow.</param>
public sealed record ControllerRef(string Resource, string? Namespace, string Name, string Uid);
