using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tests.Resources;

public class CreateTests
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task Kubectl_create_stores_a_defaulted_pod_with_system_fields()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.PostAsync(Pods + "?fieldManager=kubectl-create&fieldValidation=Strict", ApiHost.Pod("web"))).AssertOk(201);

        var pod = KubernetesJson.Deserialize<V1Pod>(response.Body);
        Assert.Equal("Pod", pod.Kind);
        Assert.Equal("v1", pod.ApiVersion);
        Assert.True(Guid.TryParse(pod.Metadata.Uid, out _));
        Assert.Equal(new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc), pod.Metadata.CreationTimestamp);
        Assert.Equal(1, pod.Metadata.Generation);
        Assert.False(string.IsNullOrEmpty(pod.Metadata.ResourceVersion));
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("BestEffort", pod.Status.QosClass);
        Assert.Equal("Always", pod.Spec.RestartPolicy);
        Assert.Equal(30, pod.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("ClusterFirst", pod.Spec.DnsPolicy);
        Assert.Equal("default-scheduler", pod.Spec.SchedulerName);
        Assert.True(pod.Spec.EnableServiceLinks);
        Assert.Equal(0, pod.Spec.Priority);
        Assert.Equal(2, pod.Spec.Tolerations.Count);
        Assert.Equal("IfNotPresent", pod.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("/dev/termination-log", pod.Spec.Containers[0].TerminationMessagePath);
        Assert.Contains("\"creationTimestamp\":\"2025-06-01T12:00:00Z\"", response.Body, StringComparison.Ordinal);
        Assert.Equal(1, await api.CountAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task The_csharp_client_body_without_type_meta_and_with_a_charset_is_accepted()
    {
        await using var api = await ApiHost.StartAsync();
        var body = """{"metadata":{"name":"web"},"spec":{"containers":[{"name":"app","image":"nginx"}]}}""";

        var response = (await api.SendAsync(HttpMethod.Post, Pods, body, "application/json; charset=utf-8")).AssertOk(201);

        Assert.Equal("Pod", response.Json["kind"]!.GetValue<string>());
        Assert.Equal("default", response.Json["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("Always", response.Json["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_yaml_body_is_accepted_and_yaml_is_answered_when_asked()
    {
        await using var api = await ApiHost.StartAsync();
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels:
                app: web
                enabled: "true"
            spec:
              containers:
              - name: app
                image: nginx
                ports:
                - containerPort: 80
            """;

        var created = (await api.SendAsync(HttpMethod.Post, Pods, yaml, "application/yaml")).AssertOk(201);
        var asYaml = (await api.GetAsync(Pods + "/web", "application/yaml")).AssertOk();

        Assert.Equal(80, created.Json["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("true", created.Json["metadata"]!["labels"]!["enabled"]!.GetValue<string>());
        Assert.Equal("application/yaml", asYaml.ContentType);
        Assert.Contains("kind: Pod", asYaml.Body, StringComparison.Ordinal);
        Assert.Contains("enabled: \"true\"", asYaml.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateName_makes_a_name_with_five_random_characters()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.Pod("x");
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "web-";

        var first = (await api.PostAsync(Pods, pod)).AssertOk(201).Json["metadata"]!["name"]!.GetValue<string>();
        var second = (await api.PostAsync(Pods, pod)).AssertOk(201).Json["metadata"]!["name"]!.GetValue<string>();

        Assert.Matches("^web-[a-z0-9]{5}$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task DryRun_validates_without_storing()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.PostAsync(Pods + "?dryRun=All", ApiHost.Pod("web"))).AssertOk(201);

        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task Creating_an_existing_name_is_a_conflict()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var response = (await api.PostAsync(Pods, ApiHost.Pod("web"))).AssertStatus(409, "AlreadyExists");

        Assert.Equal("pods \"web\" already exists", response.Message);
        Assert.Equal("web", response.Json["details"]!["name"]!.GetValue<string>());
        Assert.Equal("pods", response.Json["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_pod_is_422_with_every_cause()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.Pod("web");
        pod.Spec.Containers = [new V1Container { Name = "app" }, new V1Container { Name = "app", Image = "x" }];

        var response = (await api.PostAsync(Pods, pod)).AssertStatus(422, "Invalid");

        Assert.Equal("Pod \"web\" is invalid: [spec.containers[0].image: Required value, spec.containers[1].name: Duplicate value: \"app\"]", response.Message);
        var causes = response.Json["details"]!["causes"]!.AsArray();
        Assert.Equal("FieldValueRequired", causes[0]!["reason"]!.GetValue<string>());
        Assert.Equal("spec.containers[0].image", causes[0]!["field"]!.GetValue<string>());
        Assert.Equal("Required value", causes[0]!["message"]!.GetValue<string>());
        Assert.Equal("Pod", response.Json["details"]!["kind"]!.GetValue<string>());
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("a%2Fb")]
    public async Task Bad_names_are_422_with_the_api_server_message(string name)
    {
        await using var api = await ApiHost.StartAsync();

        var pod = ApiHost.Pod(name);
        pod.Metadata.Labels = null;

        var response = (await api.PostAsync(Pods, pod)).AssertStatus(422, "Invalid");

        Assert.StartsWith($"Pod \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters", response.Message, StringComparison.Ordinal);
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task A_huge_label_value_is_refused()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.Pod("web");
        pod.Metadata.Labels["app"] = new string('x', 200_000);

        var response = (await api.PostAsync(Pods, pod)).AssertStatus(422, "Invalid");

        Assert.Contains("must be no more than 63 characters", response.Message, StringComparison.Ordinal);
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task Unknown_fields_are_refused_when_strict()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.PodJson("web");
        pod["spec"]!["foo"] = 1;
        pod["spec"]!["containers"]![0]!["bar"] = "x";

        var response = (await api.PostAsync(Pods + "?fieldValidation=Strict", pod.ToJsonString())).AssertStatus(400, "BadRequest");

        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].bar\", unknown field \"spec.foo\"", response.Message);
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task Duplicate_fields_are_refused_when_strict()
    {
        await using var api = await ApiHost.StartAsync();
        var body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","name":"b"},"spec":{"containers":[{"name":"app","image":"x"}]}}""";

        var response = (await api.PostAsync(Pods + "?fieldValidation=Strict", body)).AssertStatus(400, "BadRequest");

        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: duplicate field \"metadata.name\"", response.Message);
    }

    [Fact]
    public async Task Unknown_fields_are_warned_about_by_default_and_dropped()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.PodJson("web");
        pod["spec"]!["foo"] = 1;

        var response = (await api.PostAsync(Pods, pod.ToJsonString())).AssertOk(201);

        Assert.Equal(["299 - \"unknown field \\\"spec.foo\\\"\""], response.Warnings);
        Assert.Null(response.Json["spec"]!["foo"]);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_silently_when_asked()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.PodJson("web");
        pod["spec"]!["foo"] = 1;

        var response = (await api.PostAsync(Pods + "?fieldValidation=Ignore", pod.ToJsonString())).AssertOk(201);

        Assert.Empty(response.Warnings);
    }

    [Theory]
    [InlineData("v1", "Namespace", "Namespace in version \"v1\" cannot be handled as a Pod: converting (v1.Namespace) to (Pod): unknown conversion")]
    [InlineData("v1", "Service", "Service in version \"v1\" cannot be handled as a Pod: converting (v1.Service) to (Pod): unknown conversion")]
    [InlineData("v1", "ConfigMap", "ConfigMap in version \"v1\" cannot be handled as a Pod: converting (v1.ConfigMap) to (Pod): unknown conversion")]
    [InlineData("v1", "PersistentVolumeClaim", "PersistentVolumeClaim in version \"v1\" cannot be handled as a Pod: no kind \"PersistentVolumeClaim\" is registered for version \"v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"")]
    [InlineData("apps/v1", "Pod", "Pod in version \"v1\" cannot be handled as a Pod: no kind \"Pod\" is registered for version \"apps/v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"")]
    [InlineData("v2", "Pod", "the API version in the data (v2) does not match the expected API version (v1)")]
    public async Task Wrong_api_version_or_kind_is_400(string apiVersion, string kind, string message)
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.PodJson("web");
        pod["apiVersion"] = apiVersion;
        pod["kind"] = kind;

        var response = (await api.PostAsync(Pods, pod.ToJsonString())).AssertStatus(400, "BadRequest");

        Assert.Equal(message, response.Message);
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task A_namespace_in_the_body_must_match_the_url()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.PostAsync(Pods, ApiHost.Pod("web", "kube-system"))).AssertStatus(400, "BadRequest");

        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", response.Message);
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.PostAsync("/api/v1/namespaces/nope/pods", ApiHost.Pod("web", "nope"))).AssertStatus(404, "NotFound");

        Assert.Equal("namespaces \"nope\" not found", response.Message);
    }

    [Fact]
    public async Task A_resource_version_may_not_be_set_on_create()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.Pod("web");
        pod.Metadata.ResourceVersion = "12";

        (await api.PostAsync(Pods, pod)).AssertStatus(400, "BadRequest");
    }

    [Fact]
    public async Task Create_ignores_a_status_sent_with_the_object()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = ApiHost.Pod("web");
        pod.Status = new V1PodStatus { Phase = "Running", PodIP = "1.2.3.4" };

        var response = (await api.PostAsync(Pods, pod)).AssertOk(201);

        Assert.Equal("Pending", response.Json["status"]!["phase"]!.GetValue<string>());
        Assert.Null(response.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task Posting_to_the_all_namespaces_path_is_not_allowed()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.PostAsync("/api/v1/pods", ApiHost.Pod("web"))).AssertStatus(405, "MethodNotAllowed");
    }

    [Fact]
    public async Task A_cluster_scoped_object_drops_a_namespace()
    {
        await using var api = await ApiHost.StartAsync();
        var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = "node-1", ["namespace"] = "default" } };

        var response = (await api.PostAsync("/api/v1/nodes", node.ToJsonString())).AssertOk(201);

        Assert.Null(response.Json["metadata"]!["namespace"]);
    }
}
