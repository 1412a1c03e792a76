namespace DurableKube.Domain.Authorization;

/// <summary>What an authenticated user may do: the two roles DurableKube grants, after Kubernetes' default cluster roles.</summary>
public enum ApiRole
{
    /// <summary>No role: an authenticated user who may only discover the API and ask who they are and what they may do.</summary>
    None,

    /// <summary>Read-only (Kubernetes' <c>view</c>): get, list and watch of every resource but Secrets; no exec, attach, port-forward or proxy.</summary>
    View,

    /// <summary>Everything (Kubernetes' <c>cluster-admin</c>).</summary>
    Admin,
}
