using k8s;
using k8s.Models;

namespace DurableKube.Ports.Store;

/// <summary>One entry of the store's change log, as a watch delivers it.</summary>
/// <param name="Type">Added, Modified or Deleted.</param>
/// <param name="Object">The object after the change; for a deletion, as it was removed.</param>
/// <param name="ResourceVersion">The resource version of the change.</param>
public sealed record ObjectChangeEvent(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object, string ResourceVersion);
