using DurableKube.Api.Content;
using DurableKube.Api.Routing;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Resources;

/// <summary>One request to a resource path, with what every verb needs.</summary>
/// <param name="Http">The HTTP context.</param>
/// <param name="Route">The parsed path.</param>
/// <param name="Format">The negotiated response format.</param>
internal sealed record ResourceRequest(HttpContext Http, ApiRoute Route, ResponseFormat Format)
{
    public KindDescriptor Kind => Route.Resource!;

    public ResourceType Type => Kind.Type;

    public ObjectStrategy Strategy => Kind.Strategy;

    public IQueryCollection Query => Http.Request.Query;

    public string? Namespace => Route.Namespace;

    public string Name => Route.Name!;

    public ObjectKey Key => new(Type, Type.Namespaced ? Namespace : null, Name);

    public CancellationToken Cancellation => Http.RequestAborted;
}
