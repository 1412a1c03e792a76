using DurableKube.Api.Errors;
using DurableKube.Domain.Validation;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Resources;

/// <summary>
/// The resource-version options of a list or watch (<c>resourceVersion</c>, <c>resourceVersionMatch</c>,
/// <c>sendInitialEvents</c>, <c>continue</c>), checked as the API server's <c>ValidateListOptions</c> checks them:
/// a combination it refuses answers 422 Invalid for <c>ListOptions.meta.k8s.io</c>.
/// </summary>
/// <param name="ResourceVersion">The resource version asked for; <see langword="null"/> when not given.</param>
/// <param name="Match">How the resource version applies (<c>Exact</c>, <c>NotOlderThan</c>); <see langword="null"/> when not given.</param>
/// <param name="SendInitialEvents">A watch's <c>sendInitialEvents</c>; <see langword="null"/> when not given.</param>
/// <param name="Continue">The continue token; <see langword="null"/> when not given.</param>
internal sealed record ListOptions(string? ResourceVersion, string? Match, bool? SendInitialEvents, string? Continue)
{
    /// <summary>The <c>resourceVersionMatch</c> that asks for the list at exactly the resource version.</summary>
    public const string Exact = "Exact";

    /// <summary>The <c>resourceVersionMatch</c> that asks for a list at least as new as the resource version.</summary>
    public const string NotOlderThan = "NotOlderThan";

    /// <summary>Reads and checks the options of a list or a watch.</summary>
    /// <param name="query">The request's query.</param>
    /// <param name="watch">Whether the request is a watch.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ApiException">400 for a malformed value, 422 for a combination the API server refuses.</exception>
    public static ListOptions Read(IQueryCollection query, bool watch)
    {
        var options = new ListOptions(
            RequestOptions.ResourceVersion(query),
            NullIfEmpty(RequestOptions.String(query, "resourceVersionMatch")),
            string.IsNullOrEmpty(RequestOptions.String(query, "sendInitialEvents")) ? null : RequestOptions.Bool(query, "sendInitialEvents"),
            NullIfEmpty(RequestOptions.String(query, "continue")));
        var errors = options.Validate(watch);
        return errors.Count == 0 ? options : throw StatusErrors.Invalid("meta.k8s.io", "ListOptions", string.Empty, errors);
    }

    /// <summary>The API server's checks of these options (its <c>ValidateListOptions</c>, the WatchList feature on).</summary>
    /// <param name="watch">Whether the request is a watch.</param>
    /// <returns>The errors; empty when the options are valid.</returns>
    public IReadOnlyList<FieldError> Validate(bool watch)
    {
        const string field = "resourceVersionMatch";
        var errors = new List<FieldError>();
        if (watch)
        {
            if (SendInitialEvents is not null && Match != NotOlderThan)
            {
                errors.Add(FieldError.Forbidden(field, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }

            if (Match is not null)
            {
                if (SendInitialEvents is null)
                {
                    errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
                }

                if (Match != NotOlderThan)
                {
                    errors.Add(FieldError.NotSupported(field, Match, [NotOlderThan]));
                }

                if (Continue is not null)
                {
                    errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden when continue is provided"));
                }
            }

            return errors;
        }

        if (Match is not null)
        {
            if (ResourceVersion is null)
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }

            if (Continue is not null)
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch is forbidden when continue is provided"));
            }

            if (Match is not (Exact or NotOlderThan))
            {
                errors.Add(FieldError.NotSupported(field, Match, [Exact, NotOlderThan, string.Empty]));
            }

            if (Match == Exact && ResourceVersion == "0")
            {
                errors.Add(FieldError.Forbidden(field, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }

        if (SendInitialEvents is not null)
        {
            errors.Add(FieldError.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }

        return errors;
    }

    /// <summary>Gets the resource version asked for as a number, when it constrains the list (given, not "0", no continue).</summary>
    public ulong? Constraint =>
        Continue is null && ResourceVersion is not (null or "0") && ulong.TryParse(ResourceVersion, out var asked) ? asked : null;

    /// <summary>
    /// Checks the store can serve the asked resource version before listing: one newer than the store's newest
    /// is 504 "Too large resource version" (the API server answers so after waiting a few seconds for it).
    /// </summary>
    /// <param name="current">The store's newest resource version.</param>
    /// <returns>The error to answer, or <see langword="null"/>.</returns>
    public ApiException? CheckBefore(ulong current) =>
        Constraint is { } asked && asked > current ? StatusErrors.TooLargeResourceVersion(asked, current) : null;

    /// <summary>
    /// Checks a list read at <paramref name="listed"/> answers these options: an <c>Exact</c> list of an older
    /// version is 410 Expired, as the API server answers once its history has moved on (the store keeps the
    /// current objects only, so only the newest version can be listed exactly).
    /// </summary>
    /// <param name="listed">The resource version the list was read at.</param>
    /// <returns>The error to answer, or <see langword="null"/>.</returns>
    public ApiException? CheckAfter(ulong listed) =>
        Match == Exact && Constraint is { } asked && asked != listed
            ? StatusErrors.Expired($"too old resource version: {asked} ({listed})")
            : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
