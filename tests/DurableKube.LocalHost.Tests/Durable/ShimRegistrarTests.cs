using DurableKube.LocalHost.Durable;
using DurableKube.Store.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableKube.LocalHost.Tests.Durable;

/// <summary>
/// Activities in the local host get the host's stopping token, and one that the shutdown ends is put back
/// (abandoned) rather than failed. Unit tests of the wiring: no Azurite, no task hub.
/// </summary>
public sealed class ShimRegistrarTests : IDisposable
{
    private const string Name = "Probe";

    private readonly CancellationTokenSource _stopping = new();
    private readonly Activities _activities = new();
    private readonly ShimRegistrar _registrar;

    public ShimRegistrarTests()
    {
        var worker = new TaskHubWorker(Mock.Of<IOrchestrationService>(), new Orchestrations(), _activities, NullLoggerFactory.Instance);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = JsonDataConverter.Default }, NullLoggerFactory.Instance);
        _registrar = new ShimRegistrar(worker, shims, new ServiceCollection().BuildServiceProvider(), _stopping.Token);
    }

    public void Dispose() => _stopping.Dispose();

    private Task<string?> RunAsync(string input = "\"in\"") =>
        _activities.GetObject(Name, string.Empty).RunAsync(new TaskContext(new OrchestrationInstance { InstanceId = "pod-1", ExecutionId = "e1" }), input);

    [Fact]
    public async Task An_activity_gets_the_hosts_stopping_token_not_None()
    {
        CancellationToken given = default;
        _registrar.AddActivity<string, string>(Name, (_, input, ct) =>
        {
            given = ct;
            return Task.FromResult(input + "-out");
        });

        Assert.Equal("\"in-out\"", await RunAsync());

        Assert.True(given.CanBeCanceled);
        Assert.False(given.IsCancellationRequested);
        await _stopping.CancelAsync();
        Assert.True(given.IsCancellationRequested);
    }

    [Fact]
    public async Task An_activity_the_shutdown_cancels_is_abandoned_for_a_rerun_not_failed()
    {
        var started = new TaskCompletionSource();
        _registrar.AddActivity<string, string>(Name, async (_, _, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        });

        var run = RunAsync();
        await started.Task;
        await _stopping.CancelAsync();

        var aborted = await Assert.ThrowsAsync<SessionAbortedException>(() => run);
        Assert.IsAssignableFrom<OperationCanceledException>(aborted.InnerException);
    }

    [Fact]
    public async Task An_activity_taken_while_the_host_stops_is_abandoned_without_running()
    {
        var ran = false;
        _registrar.AddActivity<string, string>(Name, (_, _, _) =>
        {
            ran = true;
            return Task.FromResult("ran");
        });
        await _stopping.CancelAsync();

        await Assert.ThrowsAsync<SessionAbortedException>(() => RunAsync());
        Assert.False(ran);
    }

    [Fact]
    public async Task An_activity_failing_while_the_host_runs_fails_as_before()
    {
        _registrar.AddActivity<string, string>(Name, (_, _, _) => throw new InvalidOperationException("the store said no"));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync());
        Assert.Equal("the store said no", failure.Message);
    }

    [Fact]
    public async Task The_hosts_stopping_token_is_cancelled_when_the_application_stops_and_when_the_service_stops()
    {
        using var application = new CancellationTokenSource();
        var lifetime = Mock.Of<IHostApplicationLifetime>(l => l.ApplicationStopping == application.Token);
        await using var onApplicationStop = NewHost(lifetime);
        await using var onServiceStop = NewHost(Mock.Of<IHostApplicationLifetime>(l => l.ApplicationStopping == CancellationToken.None));

        Assert.False(onApplicationStop.Stopping.IsCancellationRequested);
        await application.CancelAsync();
        Assert.True(onApplicationStop.Stopping.IsCancellationRequested);

        Assert.False(onServiceStop.Stopping.IsCancellationRequested);
        await onServiceStop.StopAsync(CancellationToken.None);
        Assert.True(onServiceStop.Stopping.IsCancellationRequested);
    }

    private static DurableTaskFrameworkHost NewHost(IHostApplicationLifetime lifetime) =>
        new(new ServiceCollection().BuildServiceProvider(), Options.Create(new DurableTaskOptions()), Options.Create(new AzureStorageOptions()), NullLoggerFactory.Instance, lifetime);

    /// <summary>The worker's activity registry, readable by the test.</summary>
    private sealed class Activities : INameVersionObjectManager<TaskActivity>
    {
        private readonly Dictionary<string, ObjectCreator<TaskActivity>> _creators = [];

        public void Add(ObjectCreator<TaskActivity> creator) => _creators.Add(creator.Name + "/" + creator.Version, creator);

        public TaskActivity GetObject(string name, string? version) => _creators[name + "/" + version].Create();
    }

    private sealed class Orchestrations : INameVersionObjectManager<TaskOrchestration>
    {
        public void Add(ObjectCreator<TaskOrchestration> creator)
        {
        }

        public TaskOrchestration GetObject(string name, string? version) => throw new NotSupportedException();
    }
}
