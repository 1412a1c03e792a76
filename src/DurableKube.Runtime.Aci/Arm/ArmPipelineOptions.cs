using Azure.Core;
using Azure.Core.Pipeline;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>Azure.Core's client options for the ARM pipeline: Azure.Core's own retries are off (Polly retries, see <see cref="ContainerGroupClient"/>).</summary>
internal sealed class ArmPipelineOptions : ClientOptions
{
    public ArmPipelineOptions(AciArmOptions options, HttpPipelineTransport? transport)
    {
        Retry.MaxRetries = 0;
        Retry.NetworkTimeout = options.RequestTimeout;
        Diagnostics.ApplicationId = "DurableKube";
        if (transport is not null)
        {
            Transport = transport;
        }
    }
}
