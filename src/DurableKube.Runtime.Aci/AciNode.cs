using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using DurableKube.Runtime.Aci.Arm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DurableKube.Runtime.Aci;

/// <summary>
/// Makes an ACI node's runtime from its configuration section, <c>Nodes:&lt;name&gt;</c> (environment:
/// <c>Nodes__&lt;name&gt;__Kind=aci</c>): <c>SubscriptionId</c>, <c>ResourceGroup</c>, <c>Region</c>, <c>Cpu</c> (cores),
/// <c>MemoryGi</c>, <c>Pods</c>, <c>ObserveInterval</c>, and optionally <c>ClientId</c> (a user-assigned managed
/// identity), <c>Endpoint</c> (another ARM, e.g. a test's fake) and every other property of
/// <see cref="AciRuntimeOptions"/> and <see cref="AciArmOptions"/> by name.
/// </summary>
public static class AciNode
{
    /// <summary>Reads and validates a node's options.</summary>
    /// <param name="section">The node's section; its key is the node's name.</param>
    /// <returns>The options.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or out of range; the message names each.</exception>
    public static AciRuntimeOptions ReadOptions(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = new AciRuntimeOptions { NodeName = section.Key };
        section.Bind(options);
        section.Bind(options.Arm);
        options.NodeName = section.Key;
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);
        Validator.TryValidateObject(options.Arm, new ValidationContext(options.Arm), errors, validateAllProperties: true);
        if (options.Arm.Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add(new ValidationResult("The Endpoint field must be an https address: bearer tokens are never sent in clear.", [nameof(AciArmOptions.Endpoint)]));
        }

        return errors.Count == 0
            ? options
            : throw new InvalidOperationException($"{section.Path}: {string.Join(" ", errors.Select(error => error.ErrorMessage))}");
    }

    /// <summary>The credential a node's requests are made with: the managed identity in Azure (the user-assigned one <c>ClientId</c> names), else the developer's.</summary>
    /// <param name="section">The node's section.</param>
    /// <returns>The credential.</returns>
    public static TokenCredential Credential(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["ClientId"] });
    }

    /// <summary>Makes a node's runtime.</summary>
    /// <param name="options">The node's options.</param>
    /// <param name="credential">The identity ARM requests are made as.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggers">The loggers.</param>
    /// <param name="meters">The host's meter factory, for the ARM request counter.</param>
    /// <param name="transport">The HTTP transport, or Azure.Core's default.</param>
    /// <param name="sessions">What exec sessions' WebSockets connect through, or the default.</param>
    /// <returns>The runtime; the caller disposes it.</returns>
    public static AciContainerRuntime CreateRuntime(
        AciRuntimeOptions options,
        TokenCredential credential,
        TimeProvider time,
        ILoggerFactory loggers,
        IMeterFactory? meters = null,
        HttpPipelineTransport? transport = null,
        HttpMessageInvoker? sessions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var client = new ContainerGroupClient(options.Arm, credential, new ArmRequestCounter(meters), transport, time, loggers.CreateLogger<ContainerGroupClient>(), sessions);
        return new AciContainerRuntime(options, client, time, loggers.CreateLogger<AciContainerRuntime>());
    }
}
