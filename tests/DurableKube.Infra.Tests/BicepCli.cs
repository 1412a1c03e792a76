using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace DurableKube.Infra.Tests;

/// <summary>
/// Runs the Bicep CLI restored from the NuGet package Azure.Bicep.CommandLine.linux-x64 (the project
/// passes the package folder in as assembly metadata). The CLI is a self-contained .NET app that unpacks
/// a native library on start; DOTNET_BUNDLE_EXTRACT_BASE_DIR points that at a temporary folder instead of ~/.net.
/// </summary>
internal static class BicepCli
{
    // A guard against a hung process, not a performance expectation: a build takes seconds.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    /// <summary>Runs bicep with the arguments in the working directory, with a private extraction folder.</summary>
    public static async Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        var extractDir = Path.Combine(Path.GetTempPath(), "durablekube-bicep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(extractDir);
        try
        {
            var start = new ProcessStartInfo(Locate())
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = extractDir;

            using var process = StartOrExplain(start);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var guard = new CancellationTokenSource(HangGuard);
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException(
                    $"bicep {string.Join(' ', arguments)} did not finish within {HangGuard}; it was stopped.");
            }

            return new BicepRun(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(extractDir, recursive: true);
        }
    }

    private static Process StartOrExplain(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)
                ?? throw new InvalidOperationException($"The Bicep CLI at {start.FileName} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"The Bicep CLI at {start.FileName} cannot run on this machine ({RuntimeInformation.OSDescription}, " +
                $"{RuntimeInformation.ProcessArchitecture}): {e.Message}. It is the linux-x64 build from the NuGet package " +
                "Azure.Bicep.CommandLine.linux-x64; it needs Linux on x86-64 and the execute permission on tools/bicep.", e);
        }
    }

    /// <summary>Gets the full path of the bicep executable, or throws saying why it cannot be used here.</summary>
    public static string Locate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                "The infra tests run the Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64, which runs " +
                $"only on Linux x86-64; this machine is {RuntimeInformation.OSDescription} on {RuntimeInformation.OSArchitecture}.");
        }

        var packagePath = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPackagePath")?.Value;
        if (string.IsNullOrEmpty(packagePath))
        {
            throw new InvalidOperationException(
                "The test assembly was built without the path of the package Azure.Bicep.CommandLine.linux-x64 " +
                "(assembly metadata BicepPackagePath is empty): restore and build tests/DurableKube.Infra.Tests.");
        }

        var executable = Path.Combine(packagePath, "tools", "bicep");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI is not at {executable}: the package Azure.Bicep.CommandLine.linux-x64 is missing or " +
                "laid out differently (restore tests/DurableKube.Infra.Tests again).", executable);
        }

        return executable;
    }
}
