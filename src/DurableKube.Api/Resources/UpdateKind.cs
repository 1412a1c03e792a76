namespace DurableKube.Api.Resources;

/// <summary>Which part of an object a write changes.</summary>
internal enum UpdateKind
{
    /// <summary>The main resource: everything but status.</summary>
    Main,

    /// <summary>The status subresource: only status.</summary>
    Status,

    /// <summary>A namespace's finalize subresource: only spec.finalizers.</summary>
    Finalize,
}
