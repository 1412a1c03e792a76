namespace DurableKube.Ports.Runtime;

/// <summary>The image one container of a pod runs, and when to pull it.</summary>
/// <param name="Container">The container's name.</param>
/// <param name="Image">The image, as the spec names it.</param>
/// <param name="PullPolicy"><c>Always</c>, <c>IfNotPresent</c> or <c>Never</c> (see <see cref="ImagePullPolicies"/>).</param>
public sealed record ContainerImage(string Container, string Image, string PullPolicy);

/// <summary>The values of a container's <c>imagePullPolicy</c>.</summary>
public static class ImagePullPolicies
{
    /// <summary>Pull the image every time a container starts with it.</summary>
    public const string Always = "Always";

    /// <summary>Pull the image only when the node does not have it.</summary>
    public const string IfNotPresent = "IfNotPresent";

    /// <summary>Never pull: the image must be on the node already.</summary>
    public const string Never = "Never";
}
