namespace DurableKube.Api.Content;

/// <summary>What shape the client asked the answer in.</summary>
internal enum ResponseShape
{
    /// <summary>The object or list itself.</summary>
    Object,

    /// <summary>A <c>meta.k8s.io</c> Table (kubectl get).</summary>
    Table,

    /// <summary>PartialObjectMetadata (or its list).</summary>
    PartialMetadata,
}
