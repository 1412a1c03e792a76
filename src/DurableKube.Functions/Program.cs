using DurableKube.Functions.Hosting;
using DurableKube.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The Functions app: the same composition as the local host (AddDurableKube), served by the Functions
// host. The [Function] wrappers in Api/, Workflows/, Dispatch/ and Nodes/ are the only other code here.
var builder = FunctionsApplication.CreateBuilder(args);

// Pods never run as processes of the Functions worker: there is no local node unless configured (and the
// only local runtime, process, is refused before anything starts, saying what to configure instead). The
// nodes are the Nodes__<name>__* ones (Azure Container Instances).
if (string.IsNullOrWhiteSpace(builder.Configuration["Runtime:Kind"]))
{
    builder.Configuration["Runtime:Kind"] = RuntimeOptions.None;
}

ProcessRuntimeGuard.EnsureNoProcessRuntime(builder.Configuration);

// ASP.NET Core integration: the HTTP trigger gets the real HttpContext, so the API handler writes
// (and streams) the response itself, as it does in the local host.
builder.ConfigureFunctionsWebApplication();

// Application Insights rather than OpenTelemetry: this package reads APPLICATIONINSIGHTS_CONNECTION_STRING
// and APPLICATIONINSIGHTS_AUTHENTICATION_STRING ("ClientId=...;Authorization=AAD") and signs in with that
// managed identity, which is what infra/ sets (the component has local, key-based auth off), and the host
// keeps its default telemetry mode (host.json logging.applicationInsights). The OpenTelemetry route would
// need telemetryMode "OpenTelemetry" in host.json and an Azure Monitor exporter given a credential by hand.
// Without a connection string (func start on a laptop) nothing is sent.
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

// The Application Insights logger provider comes with a rule that drops everything below Warning; the
// worker's Logging configuration (Logging__LogLevel__*) decides the levels instead.
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var warningsOnly = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (warningsOnly is not null)
    {
        options.Rules.Remove(warningsOnly);
    }
});

// Store and queue (Azure Storage, AzureWebJobsStorage's account unless Storage__* says otherwise), the
// container runtime (Runtime__Kind), the workflows' services and the Kubernetes API. The node agent and
// the dispatcher are not hosted services here: durable loops and the queue trigger run them (see Dispatch/ and below).
// Node agents run as durable loops while their nodes hold pods (Workflows/Nodes/NodeAgentLoop): a pod's
// binding starts its node's loop. Nothing here runs on a fixed schedule, so an idle app scales to zero.
builder.Services.AddDurableKubeFunctions(builder.Configuration);

await builder.Build().RunAsync();
