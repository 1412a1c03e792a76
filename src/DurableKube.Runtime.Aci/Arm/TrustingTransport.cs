using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>
/// An HTTP transport that trusts, besides the system's authorities, one certificate given as a PEM file
/// (<c>Nodes__&lt;name&gt;__TrustedCertificatePath</c>): for an ARM emulator or a test's fake ARM with a self-signed
/// certificate. Only that exact certificate is added; every other server is checked as usual.
/// </summary>
public static class TrustingTransport
{
    /// <summary>Makes the transport.</summary>
    /// <param name="pemPath">The PEM file of the certificate to trust.</param>
    /// <returns>The transport.</returns>
    public static HttpPipelineTransport Create(string pemPath) => new HttpClientTransport(new HttpClient(CreateHandler(pemPath)));

    /// <summary>Makes the handler the transport sends through; exec sessions' WebSockets connect through one too.</summary>
    /// <param name="pemPath">The PEM file of the certificate to trust.</param>
    /// <returns>The handler.</returns>
    public static SocketsHttpHandler CreateHandler(string pemPath)
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None
                    || (certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString()
                        && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0),
            },
        };
    }
}
