namespace DurableKube.Domain.Printing;

/// <summary>A column of a <c>meta.k8s.io/v1</c> Table (<c>columnDefinitions[]</c>), as <c>kubectl get</c> shows it.</summary>
/// <param name="Name">The header, e.g. <c>Ready</c>.</param>
/// <param name="Type">The OpenAPI type of the cells: <c>string</c> or <c>integer</c>.</param>
/// <param name="Format">The format: <c>name</c> for the name column, else empty.</param>
/// <param name="Priority">0 for the default columns, 1 for those only <c>-o wide</c> shows.</param>
/// <param name="Description">What the column shows.</param>
public sealed record PrinterColumn(string Name, string Type, string Format, int Priority, string Description);
