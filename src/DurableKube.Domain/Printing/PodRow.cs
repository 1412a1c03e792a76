namespace DurableKube.Domain.Printing;

/// <summary>The cells of one pod in <c>kubectl get pods</c> (the wide ones too).</summary>
/// <param name="Name">NAME.</param>
/// <param name="Ready">READY: ready containers / containers, e.g. <c>1/2</c> (sidecars count).</param>
/// <param name="Status">STATUS: the reason a person wants, e.g. <c>Running</c>, <c>CrashLoopBackOff</c>, <c>Init:0/2</c>.</param>
/// <param name="Restarts">RESTARTS: e.g. <c>0</c> or <c>3 (15s ago)</c>.</param>
/// <param name="Age">AGE, e.g. <c>5m2s</c>.</param>
/// <param name="Ip">IP (wide), or <c>&lt;none&gt;</c>.</param>
/// <param name="Node">NODE (wide), or <c>&lt;none&gt;</c>.</param>
/// <param name="NominatedNode">NOMINATED NODE (wide), or <c>&lt;none&gt;</c>.</param>
/// <param name="ReadinessGates">READINESS GATES (wide): true gates / gates, or <c>&lt;none&gt;</c>.</param>
/// <param name="TerminalPhase"><c>Succeeded</c> or <c>Failed</c> for a finished pod (the API server marks such a
/// row with a <c>Completed</c> row condition), else <see langword="null"/>.</param>
public sealed record PodRow(
    string Name,
    string Ready,
    string Status,
    string Restarts,
    string Age,
    string Ip,
    string Node,
    string NominatedNode,
    string ReadinessGates,
    string? TerminalPhase)
{
    /// <summary>Gets the cells in column order.</summary>
    /// <param name="wide">Whether to include the <c>-o wide</c> cells.</param>
    /// <returns>The cells, matching <see cref="PodPrinter.Columns"/>.</returns>
    public IReadOnlyList<object> Cells(bool wide) => wide
        ? [Name, Ready, Status, Restarts, Age, Ip, Node, NominatedNode, ReadinessGates]
        : [Name, Ready, Status, Restarts, Age];
}
