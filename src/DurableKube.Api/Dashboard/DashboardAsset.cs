namespace DurableKube.Api.Dashboard;

/// <summary>One file of the dashboard.</summary>
/// <param name="Path">Its path under <c>/ui/</c>.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="ContentType">Its content type.</param>
/// <param name="ETag">A strong entity tag of its content (quoted).</param>
internal sealed record DashboardAsset(string Path, byte[] Content, string ContentType, string ETag);
