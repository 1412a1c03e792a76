using Azure.Core;
using Azure.Core.Pipeline;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>Counts every request the pipeline sends (placed per retry, so each attempt counts, as ARM's throttling counts it).</summary>
/// <param name="counter">The counter.</param>
internal sealed class RequestCountingPolicy(ArmRequestCounter counter) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) => counter.Record(message.Request.Method.Method);
}
