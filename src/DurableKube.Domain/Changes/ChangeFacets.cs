namespace DurableKube.Domain.Changes;

/// <summary>What a write changed in an object, so a controller can ignore what does not concern it (its own status writes, say).</summary>
[Flags]
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ChangeFacets>))]
public enum ChangeFacets
{
    /// <summary>Nothing (a write that stored the same object again).</summary>
    None = 0,

    /// <summary>The spec, or for kinds without one, whatever is neither metadata nor status.</summary>
    Spec = 1,

    /// <summary>The status.</summary>
    Status = 2,

    /// <summary>The labels.</summary>
    Labels = 4,

    /// <summary>The annotations.</summary>
    Annotations = 8,

    /// <summary>The ownerReferences.</summary>
    Owners = 16,

    /// <summary>The finalizers.</summary>
    Finalizers = 32,

    /// <summary>The deletion: a deletionTimestamp appeared or its grace period changed.</summary>
    Deletion = 64,

    /// <summary>Of a pod: what makes it an endpoint of a Service or not, its address, its Ready condition or its phase.</summary>
    Serving = 128,

    /// <summary>Of a node: the status of its Ready condition (a node turning Unknown, or reporting again).</summary>
    NodeReady = 256,

    /// <summary>Of a pod: its phase turned Succeeded or Failed, so it no longer holds its node's resources.</summary>
    PodFinished = 512,

    /// <summary>Of a node: its allocatable resources (what the scheduler places pods against) changed.</summary>
    NodeAllocatable = 1024,

    /// <summary>
    /// Of an Endpoints the EndpointSlice mirroring controller mirrors, before or after the write: what it mirrors changed
    /// (its subsets, labels or annotations, and so whether it is mirrored at all). The endpoints controller's own writes never carry it.
    /// </summary>
    Mirrored = 2048,

    /// <summary>Everything: an object created or removed.</summary>
    All = Spec | Status | Labels | Annotations | Owners | Finalizers | Deletion | Serving | NodeReady | PodFinished | NodeAllocatable | Mirrored,
}
