using System.Globalization;
using System.Text.Json.Nodes;

namespace DurableKube.Testing.Arm;

/// <summary>
/// One container group of the <see cref="FakeArmServer"/>: the body it was PUT with, and a timeline computed from the
/// clock (provisioning, init containers in order, app containers, stop, restart), so no background work is needed.
/// </summary>
internal sealed class FakeContainerGroup
{
    private readonly Dictionary<string, JsonObject> _previousStates = new(StringComparer.Ordinal);

    public FakeContainerGroup(string id, string name, JsonObject body, DateTimeOffset now)
    {
        Id = id;
        Name = name;
        Body = body;
        CreatedAt = now;
        EpochAt = now;
        Address = $"10.0.{Random.Shared.Next(0, 255).ToString(CultureInfo.InvariantCulture)}.{Random.Shared.Next(1, 255).ToString(CultureInfo.InvariantCulture)}";
    }

    public string Id { get; }

    public string Name { get; }

    public JsonObject Body { get; set; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets how many times the group was (re)started after its creation.</summary>
    public int Starts { get; private set; }

    public DateTimeOffset EpochAt { get; private set; }

    public DateTimeOffset? StoppedAt { get; private set; }

    public DateTimeOffset? DeletingSince { get; set; }

    public string Address { get; }

    public IEnumerable<(string Name, string Image, bool Init)> Containers =>
        Members("initContainers", init: true).Concat(Members("containers", init: false));

    public void Stop(DateTimeOffset now) => StoppedAt ??= now;

    /// <summary>Restarts (or starts) every container: what ran becomes each container's previous state.</summary>
    public void Restart(DateTimeOffset now, FakeArmOptions options, Func<string, string, ContainerScript> scriptOf)
    {
        foreach (var run in Timeline(now, options, scriptOf))
        {
            if (run.Started is { } started)
            {
                _previousStates[run.Name] = State("Terminated", started, run.Finished ?? now, run.ExitCode ?? options.KilledExitCode);
            }
        }

        Starts++;
        EpochAt = now;
        StoppedAt = null;
    }

    public string ProvisioningState(DateTimeOffset now, FakeArmOptions options, Func<string, string, ContainerScript> scriptOf)
    {
        if (DeletingSince is not null)
        {
            return "Deleting";
        }

        if (Starts == 0 && now < CreatedAt + options.ProvisioningStep)
        {
            return "Pending";
        }

        if (Starts == 0 && now < CreatedAt + (2 * options.ProvisioningStep))
        {
            return "Creating";
        }

        var pulling = Timeline(now, options, scriptOf).Any(run => run.PullFailure is not null);
        return !pulling ? "Succeeded" : now - RunStart(options) >= options.PullGiveUpAfter ? "Failed" : "Creating";
    }

    public string GroupState(DateTimeOffset now, FakeArmOptions options, Func<string, string, ContainerScript> scriptOf)
    {
        if (StoppedAt is not null)
        {
            return "Stopped";
        }

        var runs = Timeline(now, options, scriptOf);
        if (runs.Any(run => run.State == "Running"))
        {
            return "Running";
        }

        if (runs.Any(run => run.State == "Terminated" && run.ExitCode != 0))
        {
            return "Failed";
        }

        return runs.All(run => run.State == "Terminated") ? "Succeeded" : "Pending";
    }

    /// <summary>What each container is doing at <paramref name="now"/>.</summary>
    public IReadOnlyList<FakeRun> Timeline(DateTimeOffset now, FakeArmOptions options, Func<string, string, ContainerScript> scriptOf)
    {
        var cutoff = StoppedAt is { } stopped && stopped < now ? stopped : now;
        var runs = new List<FakeRun>();
        var at = RunStart(options);
        var blocked = false;
        foreach (var (name, image, init) in Containers)
        {
            if (!init && !blocked)
            {
                // App containers start together once every init container is done.
                runs.AddRange(Containers.Where(c => !c.Init).Select(c => RunFrom(c.Name, c.Image, false, at, cutoff, now, scriptOf(c.Name, c.Image))));
                return runs;
            }

            if (blocked)
            {
                runs.Add(new FakeRun(name, image, init, "Waiting", null, null, null, null, null));
                continue;
            }

            var run = RunFrom(name, image, init, at, cutoff, now, scriptOf(name, image));
            runs.Add(run);
            if (run.State != "Terminated" || run.ExitCode != 0)
            {
                blocked = true;
            }
            else
            {
                at = run.Finished!.Value;
            }
        }

        return runs;
    }

    public JsonObject? PreviousState(string container) => _previousStates.TryGetValue(container, out var state) ? (JsonObject)state.DeepClone() : null;

    public DateTimeOffset RunStart(FakeArmOptions options) => EpochAt + (Starts == 0 ? 2 * options.ProvisioningStep : options.ProvisioningStep);

    public static JsonObject State(string state, DateTimeOffset? started, DateTimeOffset? finished, int? exitCode)
    {
        var json = new JsonObject { ["state"] = state };
        if (started is { } s)
        {
            json["startTime"] = s;
        }

        if (finished is { } f)
        {
            json["finishTime"] = f;
        }

        if (exitCode is { } code)
        {
            json["exitCode"] = code;
        }

        json["detailStatus"] = state == "Terminated" ? (exitCode == 0 ? "Completed" : "Error") : "";
        return json;
    }

    private FakeRun RunFrom(string name, string image, bool init, DateTimeOffset at, DateTimeOffset cutoff, DateTimeOffset now, ContainerScript script)
    {
        if (script.PullFailure is { } failure)
        {
            return new FakeRun(name, image, init, "Waiting", null, null, null, failure, at);
        }

        if (cutoff < at)
        {
            return new FakeRun(name, image, init, "Waiting", null, null, null, null, null);
        }

        var plan = script.RunOf(Starts);
        DateTimeOffset? end = plan.RunFor is { } length ? at + length : null;
        if (end is { } e && e <= cutoff)
        {
            return new FakeRun(name, image, init, "Terminated", at, e, plan.ExitCode, null, null);
        }

        return StoppedAt is { } stopped && stopped <= now
            ? new FakeRun(name, image, init, "Terminated", at, stopped, null, null, null) with { ExitCode = KilledCode }
            : new FakeRun(name, image, init, "Running", at, null, null, null, null);
    }

    /// <summary>Gets or sets the exit code of a container the group's stop ended.</summary>
    public int KilledCode { get; set; } = 137;

    private IEnumerable<(string Name, string Image, bool Init)> Members(string list, bool init) =>
        (Body["properties"]?[list] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (c["name"]?.GetValue<string>() ?? "", c["properties"]?["image"]?.GetValue<string>() ?? "", init));
}

/// <summary>What one container is doing at a moment.</summary>
internal sealed record FakeRun(
    string Name,
    string Image,
    bool Init,
    string State,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    int? ExitCode,
    string? PullFailure,
    DateTimeOffset? PullingSince);
