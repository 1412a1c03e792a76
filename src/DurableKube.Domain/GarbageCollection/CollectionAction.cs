using System.Text.Json.Serialization;
using DurableKube.Domain.Deletion;

namespace DurableKube.Domain.GarbageCollection;

/// <summary>One thing the garbage collector does.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$action")]
[JsonDerivedType(typeof(DeleteDependent), "delete")]
[JsonDerivedType(typeof(OrphanDependent), "orphan")]
[JsonDerivedType(typeof(RemoveOwnerFinalizer), "finalize")]
public abstract record CollectionAction;

/// <summary>Deletes a dependent.</summary>
/// <param name="Dependent">The dependent.</param>
/// <param name="Policy">The propagation its deletion uses; <see langword="null"/> honours the finalizers it already has (Background otherwise).</param>
public sealed record DeleteDependent(Dependent Dependent, PropagationPolicy? Policy) : CollectionAction;

/// <summary>Removes the owner from a dependent's ownerReferences.</summary>
/// <param name="Dependent">The dependent.</param>
public sealed record OrphanDependent(Dependent Dependent) : CollectionAction;

/// <summary>Removes a propagation finalizer from the owner, once its work is done; the owner then goes unless other finalizers hold it.</summary>
/// <param name="Finalizer">The finalizer: <c>orphan</c> or <c>foregroundDeletion</c>.</param>
public sealed record RemoveOwnerFinalizer(string Finalizer) : CollectionAction;
