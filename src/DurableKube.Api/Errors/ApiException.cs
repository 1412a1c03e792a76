using k8s.Models;

namespace DurableKube.Api.Errors;

/// <summary>A request that fails with a Kubernetes <c>Status</c>; the handler writes the status and its code.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(V1Status status)
        : base(status.Message) => Status = status;

    public ApiException()
        : this(StatusErrors.InternalError("unknown error").Status)
    {
    }

    public ApiException(string message)
        : this(StatusErrors.InternalError(message).Status)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException) => Status = StatusErrors.InternalError(message).Status;

    /// <summary>Gets the status to answer with.</summary>
    public V1Status Status { get; }

    /// <summary>Gets the HTTP status code.</summary>
    public int Code => Status.Code ?? 500;
}
