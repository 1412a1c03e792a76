using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Testing.Arm;

/// <summary>The fake ARM server's request handling: faults, authentication, routing and the container-group API.</summary>
public sealed partial class FakeArmServer
{
    private const string ResourceType = "Microsoft.ContainerInstance/containerGroups";

    [GeneratedRegex(@"^/subscriptions/(?<sub>[^/]+)/resourceGroups/(?<rg>[^/]+)/providers/Microsoft\.ContainerInstance/containerGroups(?:/(?<name>[^/]+)(?<rest>/.*)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex GroupPath();

    [GeneratedRegex(@"^/fake-operations/(?<id>[0-9a-f]+)(?<location>/location)?$")]
    private static partial Regex OperationPath();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex GroupName();

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        if (ExecSessionPath().Match(path) is { Success: true } session)
        {
            await RunExecSessionAsync(context, session.Groups["id"].Value);
            return;
        }

        var query = context.Request.QueryString.Value ?? "";
        var fault = TakeFault(method, path);
        var status = 0;
        try
        {
            switch (fault)
            {
                case FakeArmFault.Delay delay:
                    await Task.Delay(delay.Time, Options.Time, context.RequestAborted);
                    break;
                case FakeArmFault.DropConnection:
                    context.Abort();
                    return;
                case FakeArmFault.Answer answer:
                    status = answer.Status;
                    await WriteAsync(context, new Answer(answer.Status, Error(answer.Code, answer.Message), answer.RetryAfter));
                    return;
            }

            var body = await ReadBodyAsync(context.Request);
            var result = Authorized(context.Request)
                ? Route(method, path, context.Request.Query, body)
                : new Answer(401, Error("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
            status = result.Status;
            await WriteAsync(context, result);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up on a slow answer.
        }
        finally
        {
            lock (_gate)
            {
                _requests.Add(new FakeArmRequest(method, path, query, Options.Time.GetUtcNow(), status));
            }
        }
    }

    private Answer Route(string method, string path, IQueryCollection query, JsonNode? body)
    {
        var now = Options.Time.GetUtcNow();
        lock (_gate)
        {
            Sweep(now);
            if (OperationPath().Match(path) is { Success: true } operation)
            {
                return method == "GET" ? PollOperation(operation.Groups["id"].Value, operation.Groups["location"].Success, now) : NotAllowed(method);
            }

            var match = GroupPath().Match(path);
            if (!match.Success)
            {
                return new Answer(404, Error("InvalidResourceType", $"The resource type could not be found for path '{path}'."));
            }

            if (string.IsNullOrEmpty(query["api-version"]))
            {
                return new Answer(400, Error("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
            }

            var scope = $"/subscriptions/{match.Groups["sub"].Value}/resourceGroups/{match.Groups["rg"].Value}/providers/{ResourceType}";
            if (!match.Groups["name"].Success)
            {
                return method == "GET" ? List(scope, query["$skipToken"], query["api-version"]!, now) : NotAllowed(method);
            }

            var name = match.Groups["name"].Value;
            var id = $"{scope}/{name}";
            _groups.TryGetValue(id, out var group);
            var rest = match.Groups["rest"].Success ? match.Groups["rest"].Value : "";
            return (method, rest) switch
            {
                ("PUT", "") => Put(id, name, body, now),
                ("PATCH", "") => group is null ? NotFound(name) : Patch(group, body, now),
                ("GET", "") => group is null ? NotFound(name) : new Answer(200, Render(group, now, instanceView: true)),
                ("DELETE", "") => group is null ? new Answer(204, null) : Delete(group, now),
                ("POST", "/restart" or "/start") => group is null ? NotFound(name) : Restart(group, now),
                ("POST", "/stop") => group is null ? NotFound(name) : Stop(group, now),
                ("POST", _) when rest.StartsWith("/containers/", StringComparison.Ordinal) && rest.EndsWith("/exec", StringComparison.Ordinal) =>
                    group is null ? NotFound(name) : Exec(group, rest["/containers/".Length..^"/exec".Length], body, now),
                ("GET", _) when rest.StartsWith("/containers/", StringComparison.Ordinal) && rest.EndsWith("/logs", StringComparison.Ordinal) =>
                    group is null ? NotFound(name) : Logs(group, rest["/containers/".Length..^"/logs".Length], query, now),
                _ => NotAllowed(method),
            };
        }
    }

    private Answer Put(string id, string name, JsonNode? body, DateTimeOffset now)
    {
        if (!GroupName().IsMatch(name))
        {
            return new Answer(400, Error("InvalidContainerGroupName", $"The container group name '{name}' is invalid. The name must be 1 to 63 characters long, contain only lowercase letters, numbers and '-', and neither start nor end with '-'."));
        }

        if (body is not JsonObject group)
        {
            return new Answer(400, Error("InvalidRequestContent", "The request content was invalid and could not be deserialized."));
        }

        if (Invalid(group) is { } invalid)
        {
            return new Answer(400, Error(invalid.Code, invalid.Message));
        }

        var status = 201;
        if (_groups.TryGetValue(id, out var existing) && existing.DeletingSince is null)
        {
            existing.Body = group;
            status = 200;
        }
        else
        {
            existing = new FakeContainerGroup(id, name, group, now) { KilledCode = Options.KilledExitCode };
            _groups[id] = existing;
        }

        var operation = NewOperation(existing.Id, "put", now);
        return new Answer(status, Render(existing, now, instanceView: false), Options.OperationRetryAfter, AsyncOperation: OperationUri(operation, location: false));
    }

    private static (string Code, string Message)? Invalid(JsonObject group)
    {
        if (group["location"]?.GetValue<string>() is not { Length: > 0 })
        {
            return ("LocationRequired", "The location property is required for this definition.");
        }

        var properties = group["properties"] as JsonObject;
        if (properties?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            return ("InvalidContainerGroupContainers", "The container group must have at least one container.");
        }

        if (properties["osType"]?.GetValue<string>() is not ("Linux" or "Windows"))
        {
            return ("InvalidOsType", "The osType must be 'Linux' or 'Windows'.");
        }

        foreach (var container in containers.Concat(properties["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = container["name"]?.GetValue<string>() ?? "";
            if (container["properties"]?["image"]?.GetValue<string>() is not { Length: > 0 })
            {
                return ("InvalidContainerImage", $"The image of container '{name}' is required.");
            }
        }

        foreach (var container in containers.OfType<JsonObject>())
        {
            var requests = container["properties"]?["resources"]?["requests"];
            var cpu = requests?["cpu"]?.GetValue<double>() ?? 0;
            var memory = requests?["memoryInGB"]?.GetValue<double>() ?? 0;
            if (cpu <= 0 || memory <= 0)
            {
                return ("InvalidContainerResourceRequests", $"The resource requests of container '{container["name"]}' are invalid: cpu and memoryInGB must be greater than 0.");
            }

            if (Math.Round(memory, 1) != memory)
            {
                return ("InvalidContainerResourceRequests", $"The memory request of container '{container["name"]}' must be a multiple of 0.1 GB.");
            }
        }

        return null;
    }

    private Answer Patch(FakeContainerGroup group, JsonNode? body, DateTimeOffset now)
    {
        if (body?["tags"] is JsonObject tags)
        {
            group.Body["tags"] = tags.DeepClone();
        }

        return new Answer(200, Render(group, now, instanceView: false));
    }

    private Answer Delete(FakeContainerGroup group, DateTimeOffset now)
    {
        group.DeletingSince ??= now;
        var operation = NewOperation(group.Id, "delete", now + Options.ProvisioningStep);
        return new Answer(202, null, Options.OperationRetryAfter, Location: OperationUri(operation, location: true));
    }

    private Answer Restart(FakeContainerGroup group, DateTimeOffset now)
    {
        group.Restart(now, Options, ScriptOf);
        var operation = NewOperation(group.Id, "restart", now + Options.ProvisioningStep);
        return new Answer(202, null, Options.OperationRetryAfter, AsyncOperation: OperationUri(operation, location: false));
    }

    private static Answer Stop(FakeContainerGroup group, DateTimeOffset now)
    {
        group.Stop(now);
        return new Answer(204, null);
    }

    private Answer Logs(FakeContainerGroup group, string container, IQueryCollection query, DateTimeOffset now)
    {
        var run = group.Timeline(now, Options, ScriptOf).FirstOrDefault(run => run.Name == container);
        if (run is null)
        {
            return new Answer(404, Error("ContainerNotFound", $"The container '{container}' is not found in container group '{group.Name}'."));
        }

        IEnumerable<string> lines = run.Started is { } started ? ScriptOf(run.Name, run.Image).Log.Select(line => Timestamped(line, started, query["timestamps"] == "true")) : [];
        if (int.TryParse(query["tail"], NumberStyles.None, CultureInfo.InvariantCulture, out var tail))
        {
            lines = lines.TakeLast(tail);
        }

        var list = lines.ToList();
        return new Answer(200, new JsonObject { ["content"] = list.Count == 0 ? "" : string.Join('\n', list) + "\n" });
    }

    private static string Timestamped(string line, DateTimeOffset at, bool timestamps) =>
        timestamps ? $"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)} {line}" : line;

    private Answer List(string scope, string? skipToken, string apiVersion, DateTimeOffset now)
    {
        var skip = int.TryParse(skipToken, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var all = _groups.Values.Where(group => group.Id.StartsWith(scope + "/", StringComparison.OrdinalIgnoreCase)).OrderBy(group => group.Name, StringComparer.Ordinal).ToList();
        var page = all.Skip(skip).Take(Options.PageSize).Select(group => (JsonNode)Render(group, now, instanceView: false)).ToArray();
        var json = new JsonObject { ["value"] = new JsonArray(page) };
        if (skip + Options.PageSize < all.Count)
        {
            json["nextLink"] = new Uri(Endpoint, $"{scope.TrimStart('/')}?api-version={apiVersion}&$skipToken={(skip + Options.PageSize).ToString(CultureInfo.InvariantCulture)}").ToString();
        }

        return new Answer(200, json);
    }

    private Answer PollOperation(string id, bool location, DateTimeOffset now)
    {
        if (!_operations.TryGetValue(id, out var operation))
        {
            return new Answer(404, Error("OperationNotFound", $"The operation '{id}' was not found."));
        }

        if (location)
        {
            return now >= operation.DoneAt && !_groups.ContainsKey(operation.GroupId)
                ? new Answer(204, null)
                : new Answer(202, null, Options.OperationRetryAfter, Location: OperationUri(id, location: true));
        }

        var (status, error) = operation.Kind switch
        {
            "put" when !_groups.TryGetValue(operation.GroupId, out var group) => ("Canceled", Error("Canceled", "The container group was deleted.")),
            "put" => _groups[operation.GroupId].ProvisioningState(now, Options, ScriptOf) switch
            {
                "Succeeded" => ("Succeeded", null),
                "Failed" => ("Failed", Error("ContainerGroupDeploymentFailed", string.Join("; ", _groups[operation.GroupId].Timeline(now, Options, ScriptOf).Select(run => run.PullFailure).OfType<string>()))),
                _ => ("InProgress", null),
            },
            _ => (now >= operation.DoneAt ? "Succeeded" : "InProgress", (JsonObject?)null),
        };
        var json = new JsonObject { ["id"] = $"/fake-operations/{id}", ["status"] = status };
        if (error is not null)
        {
            json["error"] = error["error"]!.DeepClone();
        }

        return new Answer(200, json, status == "InProgress" ? Options.OperationRetryAfter : null);
    }

    private JsonObject Render(FakeContainerGroup group, DateTimeOffset now, bool instanceView)
    {
        var json = (JsonObject)group.Body.DeepClone();
        json["id"] = group.Id;
        json["name"] = group.Name;
        json["type"] = ResourceType;
        if (json["properties"] is not JsonObject properties)
        {
            properties = [];
            json["properties"] = properties;
        }

        properties["provisioningState"] = group.ProvisioningState(now, Options, ScriptOf);
        if (properties["ipAddress"] is JsonObject address)
        {
            address["ip"] = group.Address;
        }

        foreach (var credential in (properties["imageRegistryCredentials"] as JsonArray ?? []).OfType<JsonObject>())
        {
            credential.Remove("password");
        }

        foreach (var volume in (properties["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            volume.Remove("secret");
        }

        var runs = instanceView ? group.Timeline(now, Options, ScriptOf).ToDictionary(run => run.Name) : null;
        foreach (var container in (properties["containers"] as JsonArray ?? []).Concat(properties["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var variable in (container["properties"]?["environmentVariables"] as JsonArray ?? []).OfType<JsonObject>())
            {
                variable.Remove("secureValue");
            }

            if (runs is not null && container["properties"] is JsonObject containerProperties && runs.TryGetValue(container["name"]?.GetValue<string>() ?? "", out var run))
            {
                containerProperties["instanceView"] = ContainerView(group, run, now);
            }
        }

        if (instanceView)
        {
            properties["instanceView"] = new JsonObject
            {
                ["state"] = group.GroupState(now, Options, ScriptOf),
                ["events"] = new JsonArray(),
            };
        }

        return json;
    }

    private static JsonObject ContainerView(FakeContainerGroup group, FakeRun run, DateTimeOffset now)
    {
        var events = new JsonArray();
        if (run.PullFailure is { } failure)
        {
            var since = run.PullingSince ?? now;
            var tries = Math.Max(1, (int)((now - since).TotalSeconds / 10) + 1);
            events.Add(Event("Pulling", $"pulling image \"{run.Image}\"", "Normal", tries, since, now));
            events.Add(Event("Failed", failure, "Warning", tries, since, now));
            events.Add(Event("BackOff", $"Back-off pulling image \"{run.Image}\"", "Normal", tries, since, now));
        }
        else if (run.Started is { } started)
        {
            events.Add(Event("Pulling", $"pulling image \"{run.Image}\"", "Normal", 1, started, started));
            events.Add(Event("Pulled", $"Successfully pulled image \"{run.Image}\"", "Normal", 1, started, started));
            events.Add(Event("Started", "Started container", "Normal", group.Starts + 1, group.CreatedAt, started));
            if (run.State == "Terminated" && group.StoppedAt is { } stopped && run.Finished == stopped)
            {
                events.Add(Event("Killing", "Killing container with id " + run.Name + ".", "Normal", 1, stopped, stopped));
            }
        }

        var view = new JsonObject
        {
            ["restartCount"] = group.Starts,
            ["currentState"] = FakeContainerGroup.State(run.State, run.Started, run.Finished, run.ExitCode),
            ["events"] = events,
        };
        if (group.PreviousState(run.Name) is { } previous)
        {
            view["previousState"] = previous;
        }

        return view;
    }

    private static JsonObject Event(string name, string message, string type, int count, DateTimeOffset first, DateTimeOffset last) => new()
    {
        ["count"] = count,
        ["firstTimestamp"] = first,
        ["lastTimestamp"] = last,
        ["name"] = name,
        ["message"] = message,
        ["type"] = type,
    };

    private ContainerScript ScriptOf(string container, string image) =>
        _scripts.TryGetValue("container:" + container, out var own) ? own
        : _scripts.TryGetValue("image:" + image, out var byImage) ? byImage
        : ContainerScript.Forever;

    private string NewOperation(string groupId, string kind, DateTimeOffset doneAt)
    {
        var id = Guid.NewGuid().ToString("N");
        _operations[id] = (groupId, kind, doneAt);
        return id;
    }

    private Uri OperationUri(string id, bool location) => new(Endpoint, $"fake-operations/{id}{(location ? "/location" : "")}?api-version=2025-09-01");

    private void Sweep(DateTimeOffset now)
    {
        foreach (var gone in _groups.Values.Where(group => group.DeletingSince is { } since && now >= since + Options.ProvisioningStep).ToList())
        {
            _groups.Remove(gone.Id);
        }
    }

    private FakeArmFault? TakeFault(string method, string path)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => (f.Method is null || f.Method == method) && (f.PathContains is null || path.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase)));
            if (index < 0)
            {
                return null;
            }

            var (fault, m, p, remaining) = _faults[index];
            if (remaining <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = (fault, m, p, remaining - 1);
            }

            _faultsServed.Add((fault, method, path));
            return fault;
        }
    }

    private static bool Authorized(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > "Bearer ".Length;

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || !(request.Method is "PUT" or "PATCH" or "POST"))
        {
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Answer NotFound(string name) =>
        new(404, Error("ResourceNotFound", $"The Resource '{ResourceType}/{name}' under resource group was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"));

    private static Answer NotAllowed(string method) => new(405, Error("MethodNotAllowed", $"The method '{method}' is not allowed here."));

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static async Task WriteAsync(HttpContext context, Answer answer)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        if (answer.RetryAfter is { } after)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (answer.AsyncOperation is { } operation)
        {
            response.Headers["Azure-AsyncOperation"] = operation.ToString();
        }

        if (answer.Location is { } location)
        {
            response.Headers.Location = location.ToString();
        }

        if (answer.Body is { } body)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(body.ToJsonString());
        }
    }

    private sealed record Answer(int Status, JsonObject? Body, TimeSpan? RetryAfter = null, Uri? AsyncOperation = null, Uri? Location = null);
}
