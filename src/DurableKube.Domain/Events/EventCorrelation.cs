using k8s.Models;

namespace DurableKube.Domain.Events;

/// <summary>What the <see cref="EventCorrelator"/> says to write for one report.</summary>
/// <param name="Event">The event to create or update, or <see langword="null"/> when the spam filter holds the report back.</param>
/// <param name="Update">Whether the event repeats one written before (same name): update its count, last time, message and series.</param>
public sealed record EventCorrelation(Corev1Event? Event, bool Update);
