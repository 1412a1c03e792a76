using System.Globalization;
using DurableKube.Domain.Events;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The API server's rules for Events (pkg/registry/core/event, pkg/apis/core/validation/events.go): every event
/// passes the legacy checks (its namespace and its object's agree; a new-style event with <c>eventTime</c> names
/// its reporting controller, instance, action and reason, within their lengths); one written through
/// <c>events.k8s.io/v1</c> is checked strictly (metadata, type, eventTime, series, no deprecated fields on create,
/// immutable fields on update). Events have no spec, no status and no generation.
/// </summary>
public sealed class EventStrategy : ObjectStrategy
{
    /// <summary>The most characters of <c>reportingInstance</c>.</summary>
    public const int ReportingInstanceLengthLimit = 128;

    /// <summary>The most characters of <c>action</c>.</summary>
    public const int ActionLengthLimit = 128;

    /// <summary>The most characters of <c>reason</c>.</summary>
    public const int ReasonLengthLimit = 128;

    /// <summary>The most characters of <c>message</c> (<c>note</c>).</summary>
    public const int NoteLengthLimit = 1024;

    private readonly bool _strict;

    /// <summary>Initializes a new instance of the <see cref="EventStrategy"/> class.</summary>
    /// <param name="type">The version served: <see cref="ResourceTypes.Events"/> or <see cref="ResourceTypes.EventsV1"/> (strict).</param>
    public EventStrategy(ResourceType type)
        : base(type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _strict = type == ResourceTypes.EventsV1;
    }

    /// <inheritdoc />
    public override bool TracksGeneration => false;

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ev = AsCore(obj);
        var errors = new List<FieldError>(ObjectMetaValidation.Validate(obj.Metadata, namespaced: true, _strict ? NameValidation.NameIsDnsSubdomain : PathSegmentName));
        errors.AddRange(ValidateLegacy(ev));
        if (!_strict)
        {
            return errors;
        }

        errors.AddRange(ValidateSeries(ev));
        if (ev.EventTime is null)
        {
            errors.Add(FieldError.Required("eventTime"));
        }

        if (ev.Type is not ("Normal" or "Warning"))
        {
            errors.Add(FieldError.Invalid("type", string.Empty, "has invalid value: " + ev.Type));
        }

        if (ev.FirstTimestamp is not null)
        {
            errors.Add(FieldError.Invalid("firstTimestamp", string.Empty, "needs to be unset"));
        }

        if (ev.LastTimestamp is not null)
        {
            errors.Add(FieldError.Invalid("lastTimestamp", string.Empty, "needs to be unset"));
        }

        if (ev.Count is not (null or 0))
        {
            errors.Add(FieldError.Invalid("count", string.Empty, "needs to be unset"));
        }

        if (!string.IsNullOrEmpty(ev.Source?.Component) || !string.IsNullOrEmpty(ev.Source?.Host))
        {
            errors.Add(FieldError.Invalid("source", string.Empty, "needs to be unset"));
        }

        return errors;
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        var ev = AsCore(obj);
        var was = AsCore(old);
        var errors = new List<FieldError>(ValidateLegacy(ev));
        if (!_strict)
        {
            return errors;
        }

        errors.AddRange(ObjectMetaValidation.ValidateUpdate(obj.Metadata, old.Metadata));
        if (!Same(ev.Series, was.Series))
        {
            errors.AddRange(ValidateSeries(ev));
        }

        errors.AddRange(FieldRules.Immutable(ev.InvolvedObject, was.InvolvedObject, "involvedObject"));
        errors.AddRange(FieldRules.Immutable(ev.Reason, was.Reason, "reason"));
        errors.AddRange(FieldRules.Immutable(ev.Message, was.Message, "message"));
        errors.AddRange(FieldRules.Immutable(ev.Source, was.Source, "source"));
        errors.AddRange(FieldRules.Immutable(ev.FirstTimestamp, was.FirstTimestamp, "firstTimestamp"));
        errors.AddRange(FieldRules.Immutable(ev.LastTimestamp, was.LastTimestamp, "lastTimestamp"));
        errors.AddRange(FieldRules.Immutable(ev.Count, was.Count, "count"));
        errors.AddRange(FieldRules.Immutable(ev.Type, was.Type, "type"));
        errors.AddRange(FieldRules.Immutable(ev.EventTime, was.EventTime, "eventTime"));
        errors.AddRange(FieldRules.Immutable(ev.Action, was.Action, "action"));
        errors.AddRange(FieldRules.Immutable(ev.Related, was.Related, "related"));
        errors.AddRange(FieldRules.Immutable(ev.ReportingComponent, was.ReportingComponent, "reportingController"));
        errors.AddRange(FieldRules.Immutable(ev.ReportingInstance, was.ReportingInstance, "reportingInstance"));
        return errors;
    }

    /// <summary>The legacy checks every event passes, whichever version wrote it (<c>legacyValidateEvent</c>).</summary>
    /// <param name="ev">The event, as stored.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateLegacy(Corev1Event ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var errors = new List<FieldError>();
        var ns = ev.Metadata?.NamespaceProperty ?? string.Empty;
        var involvedNs = ev.InvolvedObject?.NamespaceProperty ?? string.Empty;
        if (ev.EventTime is null)
        {
            if (involvedNs.Length == 0 ? ns is not ("" or "default") : ns != involvedNs)
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
            }
        }
        else
        {
            if (involvedNs.Length == 0 && ns is not ("default" or "kube-system"))
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
            }

            var controller = ev.ReportingComponent ?? string.Empty;
            if (controller.Length == 0)
            {
                errors.Add(FieldError.Required("reportingController"));
            }

            errors.AddRange(NameValidation.IsQualifiedName(controller).Select(m => FieldError.Invalid("reportingController", controller, m)));
            Required(errors, "reportingInstance", ev.ReportingInstance, ReportingInstanceLengthLimit);
            Required(errors, "action", ev.Action, ActionLengthLimit);
            Required(errors, "reason", ev.Reason, ReasonLengthLimit);
            if ((ev.Message?.Length ?? 0) > NoteLengthLimit)
            {
                errors.Add(FieldError.Invalid("message", string.Empty, AtMost(NoteLengthLimit)));
            }
        }

        errors.AddRange(NameValidation.IsDns1123Subdomain(ns).Select(m => FieldError.Invalid("namespace", ns, m)));
        return errors;
    }

    private static IEnumerable<FieldError> ValidateSeries(Corev1Event ev)
    {
        if (ev.Series is { } series)
        {
            if ((series.Count ?? 0) < 2)
            {
                yield return FieldError.Invalid("series.count", string.Empty, "should be at least 2");
            }

            if (series.LastObservedTime is null)
            {
                yield return FieldError.Required("series.lastObservedTime");
            }
        }
    }

    private static void Required(List<FieldError> errors, string field, string? value, int limit)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldError.Required(field));
        }

        if ((value?.Length ?? 0) > limit)
        {
            errors.Add(FieldError.Invalid(field, string.Empty, AtMost(limit)));
        }
    }

    private static string AtMost(int limit) => string.Create(CultureInfo.InvariantCulture, $"can have at most {limit} characters");

    private static bool Same(Corev1EventSeries? a, Corev1EventSeries? b) =>
        a?.Count == b?.Count && a?.LastObservedTime == b?.LastObservedTime;

    /// <summary>The names a path segment may have (<c>path.ValidatePathSegmentName</c>), all a <c>v1</c> Event's name must be.</summary>
    private static IReadOnlyList<string> PathSegmentName(string name, bool prefix)
    {
        if (!prefix && name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }

        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                return [$"may not contain '{illegal}'"];
            }
        }

        return [];
    }

    private static Corev1Event AsCore(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        Corev1Event core => core,
        Eventsv1Event events => EventConversion.ToCore(events),
        _ => throw new ArgumentException("Not an Event: " + obj.GetType().Name, nameof(obj)),
    };
}
