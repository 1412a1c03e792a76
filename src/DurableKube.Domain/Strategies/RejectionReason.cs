namespace DurableKube.Domain.Strategies;

/// <summary>Why a write was refused; each maps to one Kubernetes status reason.</summary>
public enum RejectionReason
{
    /// <summary>The object breaks the kind's rules (422 Invalid), with the field errors.</summary>
    Invalid,

    /// <summary>The write is not allowed in the object's situation (403 Forbidden), e.g. content for a terminating namespace.</summary>
    Forbidden,

    /// <summary>The write conflicts with the object's state (409 Conflict), e.g. binding a pod that is bound already.</summary>
    Conflict,

    /// <summary>The request itself is malformed (400 BadRequest).</summary>
    BadRequest,
}
