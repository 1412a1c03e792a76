namespace DurableKube.Domain.Patching;

/// <summary>
/// The <c>patchStrategy</c> struct tag of a Kubernetes API field (<c>x-kubernetes-patch-strategy</c> in OpenAPI):
/// how a strategic merge patch treats the field.
/// </summary>
[Flags]
public enum PatchStrategy
{
    /// <summary>No tag: maps merge, lists are replaced whole.</summary>
    None = 0,

    /// <summary><c>merge</c>: a list merges element-wise by its merge key, or as a set for primitives.</summary>
    Merge = 1,

    /// <summary><c>replace</c>: the value is replaced whole, even a map.</summary>
    Replace = 2,

    /// <summary><c>retainKeys</c>: the field is a union; a patch may clear the members it leaves out with <c>$retainKeys</c>.</summary>
    RetainKeys = 4,
}
