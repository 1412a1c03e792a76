using System.Diagnostics.Metrics;
using Azure.Core;
using DurableKube.Domain.Scheduling;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Aci.Arm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableKube.Runtime.Aci;

/// <summary>Registers Azure Container Instances nodes.</summary>
public static class AciNodeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ACI node a <c>Nodes:&lt;name&gt;</c> section describes (see <see cref="AciNode"/>), with its labels
    /// (<c>Labels:&lt;key&gt;</c>) and taints (<c>Taints:&lt;n&gt;</c> as <c>key[=value]:Effect</c>). Its settings are
    /// checked now, so a host with a wrong one does not start. Requests are made as the managed identity
    /// (<c>ClientId</c>), or with a fixed <c>AccessToken</c> for an ARM emulator; <c>TrustedCertificatePath</c>
    /// adds an emulator's self-signed certificate to the ones trusted.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The node's section; its key is the node's name.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or wrong; the message names it.</exception>
    public static IServiceCollection AddAciNode(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = AciNode.ReadOptions(section);
        IReadOnlyList<k8s.Models.V1Taint> taints;
        try
        {
            taints = section.GetSection("Taints").GetChildren().Select(t => TaintSyntax.Parse(t.Value ?? string.Empty)).ToList();
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{section.Path}:Taints: {e.Message}", e);
        }

        var labels = section.GetSection("Labels").GetChildren().ToDictionary(l => l.Key, l => l.Value ?? string.Empty, StringComparer.Ordinal);
        var token = section["AccessToken"];
        var certificate = section["TrustedCertificatePath"];
        return services.AddNodeRuntime(sp =>
        {
            TokenCredential credential = string.IsNullOrEmpty(token) ? AciNode.Credential(section) : new AccessTokenCredential(token);
            var runtime = AciNode.CreateRuntime(
                options,
                credential,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetService<IMeterFactory>(),
                string.IsNullOrEmpty(certificate) ? null : TrustingTransport.Create(certificate),
                string.IsNullOrEmpty(certificate) ? null : new HttpMessageInvoker(TrustingTransport.CreateHandler(certificate)));
            return new NodeRuntime(section.Key, runtime) { Labels = labels, Taints = taints, ResyncInterval = options.ObserveInterval, StreamsExits = false };
        });
    }
}
