using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>The wide columns every workload prints from its pod template (printers.go, <c>layoutContainerCells</c>).</summary>
public static class TemplateCells
{
    /// <summary>Gets the CONTAINERS column.</summary>
    public static PrinterColumn ContainersColumn { get; } = new("Containers", "string", string.Empty, 1, "Names of each container in the template.");

    /// <summary>Gets the IMAGES column.</summary>
    public static PrinterColumn ImagesColumn { get; } = new("Images", "string", string.Empty, 1, "Images referenced by each container in the template.");

    /// <summary>Gets the SELECTOR column.</summary>
    public static PrinterColumn SelectorColumn { get; } = new("Selector", "string", string.Empty, 1, "A label query over pods that should match the replica count.");

    /// <summary>The names and images of a template's containers, comma separated.</summary>
    /// <param name="template">The pod template.</param>
    /// <returns>The two cells.</returns>
    public static (string Names, string Images) Containers(V1PodTemplateSpec? template)
    {
        var containers = template?.Spec?.Containers ?? [];
        return (string.Join(",", containers.Select(c => c.Name)), string.Join(",", containers.Select(c => c.Image)));
    }

    /// <summary>A selector as <c>metav1.FormatLabelSelector</c> writes it: <c>&lt;none&gt;</c> for none, <c>&lt;error&gt;</c> for one that cannot be read.</summary>
    /// <param name="selector">The selector.</param>
    /// <returns>The text.</returns>
    public static string Selector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return "<none>";
        }

        try
        {
            var text = Selectors.LabelSelector.FromLabelSelector(selector).ToString();
            return text.Length == 0 ? "<none>" : text;
        }
        catch (Selectors.SelectorParseException)
        {
            return "<error>";
        }
    }
}
