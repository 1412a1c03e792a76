using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class ProbeValidationTests
{
    private static V1Probe Exec() => new() { Exec = new V1ExecAction { Command = ["cat", "healthy"] } };

    public static TheoryData<string, Action<V1Container>, string[]> Cases => new()
    {
        { "valid exec liveness", c => c.LivenessProbe = Exec(), [] },
        { "valid http readiness by port name", c => c.ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http", Path = "/healthz" } }, [] },
        { "valid tcp startup with its own grace", c => c.StartupProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 8080 }, TerminationGracePeriodSeconds = 5 }, [] },
        { "valid grpc", c => c.LivenessProbe = new V1Probe { Grpc = new V1GRPCAction { Port = 9090 } }, [] },
        { "no handler", c => c.LivenessProbe = new V1Probe(), ["spec.containers[0].livenessProbe: Required value: must specify a handler type"] },
        {
            "two handlers", c => c.ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] }, TcpSocket = new V1TCPSocketAction { Port = 80 } },
            ["spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]
        },
        { "exec without command", c => c.LivenessProbe = new V1Probe { Exec = new V1ExecAction() }, ["spec.containers[0].livenessProbe.exec.command: Required value"] },
        {
            "liveness success threshold", c => { c.LivenessProbe = Exec(); c.LivenessProbe.SuccessThreshold = 2; },
            ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]
        },
        {
            "startup success threshold", c => { c.StartupProbe = Exec(); c.StartupProbe.SuccessThreshold = 3; },
            ["spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1"]
        },
        { "readiness success threshold may be above 1", c => { c.ReadinessProbe = Exec(); c.ReadinessProbe.SuccessThreshold = 3; }, [] },
        {
            "negative initial delay", c => { c.ReadinessProbe = Exec(); c.ReadinessProbe.InitialDelaySeconds = -1; },
            ["spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0"]
        },
        {
            "negative failure threshold", c => { c.LivenessProbe = Exec(); c.LivenessProbe.FailureThreshold = -3; },
            ["spec.containers[0].livenessProbe.failureThreshold: Invalid value: -3: must be greater than or equal to 0"]
        },
        {
            "grace on readiness", c => { c.ReadinessProbe = Exec(); c.ReadinessProbe.TerminationGracePeriodSeconds = 5; },
            ["spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes"]
        },
        {
            "zero grace on liveness", c => { c.LivenessProbe = Exec(); c.LivenessProbe.TerminationGracePeriodSeconds = 0; },
            ["spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0"]
        },
        {
            "http port out of range", c => c.LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 70000 } },
            ["spec.containers[0].livenessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive"]
        },
        {
            "http scheme", c => c.LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80, Scheme = "FTP" } },
            ["spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\""]
        },
        {
            "http header name", c => c.LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80, HttpHeaders = [new V1HTTPHeader { Name = "X Bad", Value = "1" }] } },
            ["spec.containers[0].livenessProbe.httpGet.httpHeaders: Invalid value: \"X Bad\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"]
        },
        {
            "grpc port", c => c.LivenessProbe = new V1Probe { Grpc = new V1GRPCAction { Port = 0 } },
            ["spec.containers[0].livenessProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Probes_are_checked_as_the_api_server_checks_them(string name, Action<V1Container> change, string[] expected)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        };
        change(pod.Spec.Containers[0]);
        PodDefaults.Apply(pod);

        var errors = PodValidation.ValidateSpec(pod).Select(e => e.ToString()).ToArray();

        Assert.True(expected.SequenceEqual(errors), $"{name}: got [{string.Join(", ", errors)}]");
    }

    [Theory]
    [InlineData(null, "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always")]
    [InlineData("Always", null)]
    public void Only_sidecars_among_init_containers_may_have_probes(string? restartPolicy, string? expected)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                InitContainers = [new V1Container { Name = "init", Image = "busybox", RestartPolicy = restartPolicy, LivenessProbe = Exec() }],
                Containers = [new V1Container { Name = "app", Image = "busybox" }],
            },
        };
        PodDefaults.Apply(pod);

        var errors = PodValidation.ValidateSpec(pod).Select(e => e.ToString()).ToArray();

        Assert.Equal(expected is null ? [] : [expected], errors);
    }

    [Theory]
    [InlineData(null, 1, 10, 1, 3)]
    [InlineData(0, 1, 10, 1, 3)]
    [InlineData(5, 5, 10, 1, 3)]
    public void Probe_defaults_fill_unset_and_zero_fields(int? given, int timeout, int period, int success, int failure)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", Image = "busybox", ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] }, TimeoutSeconds = given, PeriodSeconds = given is 0 ? 0 : null, SuccessThreshold = given is 0 ? 0 : null, FailureThreshold = given is 0 ? 0 : null } }],
            },
        };

        PodDefaults.Apply(pod);

        var probe = pod.Spec.Containers[0].ReadinessProbe;
        Assert.Equal((timeout, period, success, failure), (probe.TimeoutSeconds, probe.PeriodSeconds, probe.SuccessThreshold, probe.FailureThreshold));
        Assert.Null(probe.InitialDelaySeconds);
    }
}
