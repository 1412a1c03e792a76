using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using DurableKube.Testing.Store;
using DurableKube.Domain.Kinds;
using DurableKube.Workflows.Nodes;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableKube.Workflows.Tests.Nodes;

/// <summary>
/// The node agent's orphan clean-up, one observation of a pod-scoped node (an ACI node: one container group per pod):
/// a sandbox whose pod is gone and whose workflow does not run is removed (nothing else would ever delete the group);
/// one whose pod exists is kept; one whose workflow still runs is left to that workflow, told the pod is gone.
/// </summary>
public sealed class OrphanSandboxTests
{
    private const string Node = "aci-1";
    private readonly InMemoryObjectStore _store = new();
    private readonly FakeContainerRuntime _runtime = new() { Scope = SandboxScope.Pod };
    private readonly Mock<IWorkflowClient> _workflows = new(MockBehavior.Strict);

    private ObserveNodeActivity Activity()
    {
        var services = new ServiceCollection()
            .AddSingleton(new ObjectRegistry(_store, BuiltInKinds.Registry(), [], TimeProvider.System, NullLogger<ObjectRegistry>.Instance))
            .AddSingleton<IOptions<NodeOptions>>(Options.Create(new NodeOptions()))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ILogger<NodeAgent>>(NullLogger<NodeAgent>.Instance)
            .BuildServiceProvider();
        return new ObserveNodeActivity(services, new NodeRuntimes([new NodeRuntime(Node, _runtime)]), _store, Options.Create(new NodeOptions()));
    }

    /// <summary>A group holding one running container of the pod with this uid, as the runtime lists it.</summary>
    private Task SandboxAsync(string podUid) =>
        _runtime.StartContainerAsync(new ContainerLaunch(new ContainerRunId(podUid, "app", 0), "default", "p-" + podUid, "busybox", ["serve"], [], null));

    private Task PodAsync(string name, string uid) => _store.CreateAsync(ResourceTypes.Pods, new V1Pod
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = uid },
        Spec = new V1PodSpec { NodeName = Node, Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        Status = new V1PodStatus { Phase = "Running" },
    });

    [Fact]
    public async Task A_sandbox_whose_pod_is_gone_and_whose_workflow_does_not_run_is_removed()
    {
        await SandboxAsync("uid-gone");
        _workflows.Setup(w => w.GetStateAsync(PodIdentity.WorkflowInstanceIdFor("uid-gone"), It.IsAny<CancellationToken>())).ReturnsAsync(WorkflowInstanceState.Completed);

        await Activity().RunAsync(Node, _workflows.Object);

        Assert.Equal(["uid-gone"], _runtime.RemovedSandboxes);
        Assert.Empty(await _runtime.ListContainersAsync());
    }

    [Fact]
    public async Task A_sandbox_whose_pod_exists_is_kept_and_its_workflow_is_not_even_asked()
    {
        await PodAsync("web", "uid-web");
        await SandboxAsync("uid-web");

        var observed = await Activity().RunAsync(Node, _workflows.Object);

        Assert.Empty(_runtime.RemovedSandboxes);
        Assert.True(observed.HoldsPods);
        Assert.Single(await _runtime.ListContainersAsync(), r => r.Id.PodUid == "uid-web" && r.State == ContainerRunState.Running);
        _workflows.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Beside_a_kept_sandbox_an_orphan_is_removed_and_one_whose_workflow_runs_is_left_to_it()
    {
        await PodAsync("web", "uid-web");
        await SandboxAsync("uid-web");
        await SandboxAsync("uid-gone");
        await SandboxAsync("uid-ending");
        _workflows.Setup(w => w.GetStateAsync(PodIdentity.WorkflowInstanceIdFor("uid-gone"), It.IsAny<CancellationToken>())).ReturnsAsync((WorkflowInstanceState?)null);
        _workflows.Setup(w => w.GetStateAsync(PodIdentity.WorkflowInstanceIdFor("uid-ending"), It.IsAny<CancellationToken>())).ReturnsAsync(WorkflowInstanceState.Running);
        _workflows.Setup(w => w.RaiseEventAsync(PodIdentity.WorkflowInstanceIdFor("uid-ending"), PodSignal.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await Activity().RunAsync(Node, _workflows.Object);

        Assert.Equal(["uid-gone"], _runtime.RemovedSandboxes);
        _workflows.Verify(w => w.RaiseEventAsync(
            PodIdentity.WorkflowInstanceIdFor("uid-ending"), PodSignal.EventName,
            It.Is<object>(e => e is PodEvent && ((PodEvent)e).Signal is PodDeletionRequested), It.IsAny<CancellationToken>()), Times.Once());
    }
}
