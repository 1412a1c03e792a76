using System.Globalization;
using System.Runtime.InteropServices;
using DurableKube.Bench;
using k8s;

// durablekube-bench: the measuring side of scripts/bench.sh.
//   durablekube-bench fake-arm DIR
//   durablekube-bench run --kubeconfig FILE --pods N --storage CONNECTION [--azurite-log FILE] [--host-pid PID]
//                         [--arm-dir DIR --aci-node NAME] [--change-queue NAME] [--arm-window SECONDS]
//                         [--aci-pods N] [--phases floor,replicaset,burst,completion,aci]
if (args is ["fake-arm", var directory])
{
    // SIGTERM and Ctrl-C end the fake ARM server's loop, so it stops its server and exits of itself.
    using var stop = new CancellationTokenSource();
    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    await FakeArm.ServeAsync(directory, stop.Token);
    return 0;
}

if (args is not ["run", ..])
{
    await Console.Error.WriteLineAsync("usage: durablekube-bench fake-arm DIR | run --kubeconfig FILE --pods N --storage CONNECTION [...]");
    return 2;
}

var named = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    named[args[i]] = args[i + 1];
}

string? Named(string name) => named.TryGetValue(name, out var value) ? value : null;
var options = new BenchOptions(
    Named("--kubeconfig") ?? throw new ArgumentException("--kubeconfig is required"),
    int.Parse(Named("--pods") ?? "200", CultureInfo.InvariantCulture),
    Named("--storage") ?? throw new ArgumentException("--storage is required"),
    Named("--azurite-log"),
    Named("--host-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
    Named("--arm-dir"),
    Named("--aci-node"),
    Named("--change-queue") ?? "kube-changes",
    TimeSpan.FromSeconds(int.Parse(Named("--arm-window") ?? "60", CultureInfo.InvariantCulture)),
    int.Parse(Named("--aci-pods") ?? "50", CultureInfo.InvariantCulture),
    BenchPhases.Parse(Named("--phases")));
using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig));
var figures = await new PodBench(options, client).RunAsync();
Console.WriteLine(BenchLine.Format(figures));
return 0;
