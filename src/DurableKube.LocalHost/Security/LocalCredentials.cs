using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DurableKube.LocalHost.Security;

/// <summary>
/// The local host's credentials, kept in the run folder and reused across restarts (<c>durablekube credentials DIR</c>,
/// which <c>scripts/up.sh</c> runs): a certificate authority (<c>pki/ca.crt</c>, <c>pki/ca.key</c>), a server certificate it
/// signs for 127.0.0.1, ::1 and localhost (<c>pki/server.crt</c>, <c>pki/server.key</c>; made again when it is missing, does not
/// chain to the CA or expires within 30 days), and two bearer tokens (<c>tokens/admin</c>, <c>tokens/viewer</c>). Keys and
/// tokens are written 0600, their folders 0700.
/// </summary>
internal static class LocalCredentials
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The tokens made: the file name under <c>tokens/</c> of each.</summary>
    public static readonly IReadOnlyList<string> TokenNames = ["admin", "viewer"];

    /// <summary>Makes what is missing (or due) under <paramref name="directory"/>; keeps the rest.</summary>
    /// <param name="directory">The run folder.</param>
    /// <param name="now">The time now.</param>
    /// <returns>What was made, for the caller to say.</returns>
    public static IReadOnlyList<string> Ensure(string directory, DateTimeOffset now)
    {
        var made = new List<string>();
        var pki = Folder(Path.Combine(directory, "pki"));
        var tokens = Folder(Path.Combine(directory, "tokens"));
        string caCert = Path.Combine(pki, "ca.crt"), caKey = Path.Combine(pki, "ca.key");
        string serverCert = Path.Combine(pki, "server.crt"), serverKey = Path.Combine(pki, "server.key");

        X509Certificate2 ca;
        if (File.Exists(caCert) && File.Exists(caKey))
        {
            ca = X509Certificate2.CreateFromPemFile(caCert, caKey);
        }
        else
        {
            ca = NewAuthority(now);
            Write(caKey, ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), Private);
            Write(caCert, ca.ExportCertificatePem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            made.Add(caCert);
            File.Delete(serverCert);
        }

        using (ca)
        {
            if (!ServerCertificateIsGood(serverCert, serverKey, ca, now))
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                using var server = NewServerCertificate(ca, key, now);
                Write(serverKey, key.ExportPkcs8PrivateKeyPem(), Private);
                Write(serverCert, server.ExportCertificatePem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                made.Add(serverCert);
            }
        }

        foreach (var name in TokenNames)
        {
            var path = Path.Combine(tokens, name);
            if (!File.Exists(path) || File.ReadAllText(path).Trim().Length < 32)
            {
                Write(path, Base64Url(RandomNumberGenerator.GetBytes(32)) + "\n", Private);
                made.Add(path);
            }
        }

        return made;
    }

    /// <summary>Loads the server certificate and its key for Kestrel.</summary>
    /// <param name="certificatePath">The certificate (PEM).</param>
    /// <param name="keyPath">The key (PEM).</param>
    /// <returns>The certificate with its private key.</returns>
    public static X509Certificate2 LoadServerCertificate(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // An ephemeral PEM key works with SslStream on Linux; a PKCS#12 round trip makes it work everywhere.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static bool ServerCertificateIsGood(string certPath, string keyPath, X509Certificate2 ca, DateTimeOffset now)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            return false;
        }

        try
        {
            using var server = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            return server.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(30) && chain.Build(server);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static X509Certificate2 NewAuthority(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=durablekube-ca, O=DurableKube", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
    }

    private static X509Certificate2 NewServerCertificate(X509Certificate2 ca, ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=durablekube, O=DurableKube", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build(true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var notAfter = now.AddDays(365);
        if (notAfter > ca.NotAfter)
        {
            notAfter = ca.NotAfter;
        }

        using var signed = request.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private static string Folder(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, PrivateFolder);
        }

        return path;
    }

    private static void Write(string path, string text, UnixFileMode mode)
    {
        // Written to a new file made with its mode, then moved over the old one: never a moment readable by others.
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
