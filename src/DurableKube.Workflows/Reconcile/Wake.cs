namespace DurableKube.Workflows.Reconcile;

/// <summary>A signal that only says "look again": something the workflow tends has changed.</summary>
/// <param name="Reason">What changed, for the history and the logs (e.g. <c>Modified pods default/web-x7k2q</c>).</param>
public sealed record Wake(string Reason)
{
    /// <summary>The name of the external event that carries it.</summary>
    public const string EventName = "wake";
}
