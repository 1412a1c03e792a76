using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;

namespace DurableKube.Domain.Strategies;

/// <summary>A write the kind's rules refuse, with what the caller needs to say why (the API turns it into a Status).</summary>
public sealed class ObjectRejectedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ObjectRejectedException"/> class.</summary>
    /// <param name="reason">Why it was refused.</param>
    /// <param name="type">The object's type.</param>
    /// <param name="name">The object's name (or generateName prefix).</param>
    /// <param name="detail">The sentence that says why, without the object's name.</param>
    /// <param name="errors">For <see cref="RejectionReason.Invalid"/>: the field errors.</param>
    /// <param name="cause">A machine-readable cause, e.g. <c>NamespaceTerminating</c>, if there is one.</param>
    public ObjectRejectedException(
        RejectionReason reason,
        ResourceType type,
        string name,
        string detail,
        IReadOnlyList<FieldError>? errors = null,
        RejectionCause? cause = null)
        : base($"{type?.GroupResource} \"{name}\": {detail}")
    {
        ArgumentNullException.ThrowIfNull(type);
        Reason = reason;
        Type = type;
        Name = name;
        Detail = detail;
        Errors = errors ?? [];
        Cause = cause;
    }

    /// <summary>Gets why the write was refused.</summary>
    public RejectionReason Reason { get; }

    /// <summary>Gets the object's type.</summary>
    public ResourceType Type { get; }

    /// <summary>Gets the object's name.</summary>
    public string Name { get; }

    /// <summary>Gets the sentence that says why.</summary>
    public string Detail { get; }

    /// <summary>Gets the field errors of an invalid object.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>Gets the machine-readable cause, if any.</summary>
    public RejectionCause? Cause { get; }

    /// <summary>Creates the refusal of an object with field errors.</summary>
    /// <param name="type">The object's type.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="errors">The errors.</param>
    /// <returns>The exception.</returns>
    public static ObjectRejectedException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors) =>
        new(RejectionReason.Invalid, type, name, "is invalid", errors);
}
