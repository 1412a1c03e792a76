using DurableKube.Functions.Api;
using DurableKube.Functions.Dispatch;
using DurableKube.Functions.Tests.Support;
using DurableKube.Workflows.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableKube.Functions.Tests;

/// <summary>The [Function] wrappers match the workflow catalog the other hosts register, and the HTTP trigger catches everything.</summary>
public sealed class FunctionBindingTests
{
    private static readonly RecordingRegistrar Catalog = RecordingRegistrar.FromCatalog();

    public static TheoryData<string> Orchestrators => new(WorkflowCatalog.Orchestrators);

    public static TheoryData<string> Activities => new(WorkflowCatalog.Activities);

    [Fact]
    public void The_catalog_lists_what_it_registers()
    {
        Assert.Equal(WorkflowCatalog.Orchestrators.Order(), Catalog.Orchestrators.Keys.Order());
        Assert.Equal(WorkflowCatalog.Activities.Order(), Catalog.Activities.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Orchestrators))]
    public void Every_orchestrator_has_one_orchestration_trigger_returning_its_output(string name)
    {
        var function = Assert.Single(FunctionCatalog.All, f => f.Name == name);
        var trigger = Assert.Single(FunctionCatalog.WithTrigger<OrchestrationTriggerAttribute>(), f => f.Name == name);

        Assert.Same(function.Method, trigger.Method);
        Assert.Equal(typeof(TaskOrchestrationContext), trigger.Trigger.ParameterType);
        Assert.Equal(typeof(Task<>).MakeGenericType(Catalog.Orchestrators[name].Output), function.Method.ReturnType);
        Assert.Single(function.Method.GetParameters());
    }

    [Theory]
    [MemberData(nameof(Activities))]
    public void Every_activity_has_one_activity_trigger_of_its_real_input_type(string name)
    {
        var function = Assert.Single(FunctionCatalog.All, f => f.Name == name);
        var trigger = Assert.Single(FunctionCatalog.WithTrigger<ActivityTriggerAttribute>(), f => f.Name == name);

        Assert.Same(function.Method, trigger.Method);
        Assert.Equal(Catalog.Activities[name].Input, trigger.Trigger.ParameterType);
        Assert.Equal(typeof(Task<>).MakeGenericType(Catalog.Activities[name].Output), function.Method.ReturnType);
    }

    [Fact]
    public void No_orchestration_or_activity_trigger_exists_outside_the_catalog()
    {
        Assert.Equal(
            WorkflowCatalog.Orchestrators.Order(),
            FunctionCatalog.WithTrigger<OrchestrationTriggerAttribute>().Select(f => f.Name).Order());
        Assert.Equal(
            WorkflowCatalog.Activities.Order(),
            FunctionCatalog.WithTrigger<ActivityTriggerAttribute>().Select(f => f.Name).Order());
    }

    [Fact]
    public void Function_names_are_unique()
    {
        var names = FunctionCatalog.All.Select(f => f.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_http_trigger_is_one_anonymous_catch_all_for_every_verb_kubectl_uses()
    {
        var http = Assert.Single(FunctionCatalog.WithTrigger<HttpTriggerAttribute>(), f => f.Name == KubernetesApiFunction.Name);

        Assert.Equal("{*path}", http.Attribute.Route);
        Assert.Equal(AuthorizationLevel.Anonymous, http.Attribute.AuthLevel);
        Assert.Equal(
            new[] { "delete", "get", "head", "options", "patch", "post", "put" },
            http.Attribute.Methods!.Select(m => m.ToLowerInvariant()).Order());
    }

    [Fact]
    public void The_dashboard_workflow_view_is_the_one_other_http_trigger_with_a_durable_client()
    {
        var triggers = FunctionCatalog.WithTrigger<HttpTriggerAttribute>().ToList();
        Assert.Equal(2, triggers.Count);
        var view = Assert.Single(triggers, f => f.Name == DashboardWorkflowFunction.Name);

        Assert.Equal("ui/api/workflow/{*path}", view.Attribute.Route);
        Assert.Equal(AuthorizationLevel.Anonymous, view.Attribute.AuthLevel);
        Assert.Equal(new[] { "get", "head" }, view.Attribute.Methods!.Select(m => m.ToLowerInvariant()).Order());
        AssertDurableClient(view.Method);
    }

    [Fact]
    public void The_queue_trigger_reads_the_change_queue_with_a_durable_client()
    {
        var queue = Assert.Single(FunctionCatalog.WithTrigger<QueueTriggerAttribute>());

        Assert.Equal(ChangeFunctions.DispatchName, queue.Name);
        Assert.Equal("%Storage__ChangeQueue%", queue.Attribute.QueueName);
        Assert.Equal("AzureWebJobsStorage", queue.Attribute.Connection);
        Assert.Equal(typeof(Azure.Storage.Queues.Models.QueueMessage), queue.Trigger.ParameterType);
        AssertDurableClient(queue.Method);
    }

    [Fact]
    public void Nothing_runs_on_a_schedule()
    {
        // A timer trigger wakes the app on its schedule, busy or idle: Flex Consumption would never scale to zero.
        // Every function runs on a request, a queue message or durable work that something scheduled.
        Assert.All(FunctionCatalog.Triggers, t => Assert.Contains(
            t.Trigger.GetType(),
            new[] { typeof(HttpTriggerAttribute), typeof(QueueTriggerAttribute), typeof(OrchestrationTriggerAttribute), typeof(ActivityTriggerAttribute) }));
        Assert.Equal(FunctionCatalog.All.Count, FunctionCatalog.Triggers.Count);
    }

    [Theory]
    [InlineData(DurableKube.Workflows.Nodes.ObserveNodeActivity.Name)]
    [InlineData(DurableKube.Workflows.Dispatch.ResyncChangesActivity.Name)]
    public void The_activities_that_start_or_signal_workflows_get_a_durable_client(string name)
    {
        AssertDurableClient(Assert.Single(FunctionCatalog.All, f => f.Name == name).Method);
    }

    private static void AssertDurableClient(System.Reflection.MethodInfo method)
    {
        var client = Assert.Single(method.GetParameters(), p => p.GetCustomAttributes(typeof(DurableClientAttribute), false).Length > 0);
        Assert.Equal(typeof(DurableTaskClient), client.ParameterType);
    }
}
