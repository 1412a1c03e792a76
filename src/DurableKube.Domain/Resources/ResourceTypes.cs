using k8s.Models;

namespace DurableKube.Domain.Resources;

/// <summary>
/// The identities of the kinds this control plane has built in, for code that names one (a workflow
/// reading its pod, a controller creating pods). What is served is what the <see cref="Kinds.KindRegistry"/>
/// holds; these are the types its built-in descriptors (<see cref="Kinds.CoreKinds"/>) are made of.
/// </summary>
public static class ResourceTypes
{
    /// <summary>Pods: one lifecycle workflow each (the kubelet).</summary>
    public static readonly ResourceType Pods = new(
        Group: "", Version: "v1", Plural: "pods", Singular: "pod", Kind: "Pod", Namespaced: true,
        ObjectType: typeof(V1Pod), ListType: typeof(V1PodList), ShortNames: ["po"]);

    /// <summary>Namespaces: deleting one removes what it holds.</summary>
    public static readonly ResourceType Namespaces = new(
        Group: "", Version: "v1", Plural: "namespaces", Singular: "namespace", Kind: "Namespace", Namespaced: false,
        ObjectType: typeof(V1Namespace), ListType: typeof(V1NamespaceList), ShortNames: ["ns"]);

    /// <summary>Nodes: registered and kept Ready by each node agent.</summary>
    public static readonly ResourceType Nodes = new(
        Group: "", Version: "v1", Plural: "nodes", Singular: "node", Kind: "Node", Namespaced: false,
        ObjectType: typeof(V1Node), ListType: typeof(V1NodeList), ShortNames: ["no"]);

    /// <summary>ReplicaSets: one reconcile workflow each keeps the desired number of pods.</summary>
    public static readonly ResourceType ReplicaSets = new(
        Group: "apps", Version: "v1", Plural: "replicasets", Singular: "replicaset", Kind: "ReplicaSet", Namespaced: true,
        ObjectType: typeof(V1ReplicaSet), ListType: typeof(V1ReplicaSetList), ShortNames: ["rs"]);

    /// <summary>Jobs: one workflow each runs pods to completion.</summary>
    public static readonly ResourceType Jobs = new(
        Group: "batch", Version: "v1", Plural: "jobs", Singular: "job", Kind: "Job", Namespaced: true,
        ObjectType: typeof(V1Job), ListType: typeof(V1JobList), ShortNames: []);

    /// <summary>CronJobs: one workflow each makes Jobs on a schedule.</summary>
    public static readonly ResourceType CronJobs = new(
        Group: "batch", Version: "v1", Plural: "cronjobs", Singular: "cronjob", Kind: "CronJob", Namespaced: true,
        ObjectType: typeof(V1CronJob), ListType: typeof(V1CronJobList), ShortNames: ["cj"]);

    /// <summary>Deployments: one reconcile workflow each rolls ReplicaSets from one pod template to the next.</summary>
    public static readonly ResourceType Deployments = new(
        Group: "apps", Version: "v1", Plural: "deployments", Singular: "deployment", Kind: "Deployment", Namespaced: true,
        ObjectType: typeof(V1Deployment), ListType: typeof(V1DeploymentList), ShortNames: ["deploy"]);

    /// <summary>StatefulSets: one reconcile workflow each keeps pods with stable names and ordinals.</summary>
    public static readonly ResourceType StatefulSets = new(
        Group: "apps", Version: "v1", Plural: "statefulsets", Singular: "statefulset", Kind: "StatefulSet", Namespaced: true,
        ObjectType: typeof(V1StatefulSet), ListType: typeof(V1StatefulSetList), ShortNames: ["sts"]);

    /// <summary>ControllerRevisions: the immutable template history a StatefulSet rolls between.</summary>
    public static readonly ResourceType ControllerRevisions = new(
        Group: "apps", Version: "v1", Plural: "controllerrevisions", Singular: "controllerrevision", Kind: "ControllerRevision", Namespaced: true,
        ObjectType: typeof(V1ControllerRevision), ListType: typeof(V1ControllerRevisionList), ShortNames: []);

    /// <summary>Services: a stable virtual address (ClusterIP) and name in front of the pods their selector picks.</summary>
    public static readonly ResourceType Services = new(
        Group: "", Version: "v1", Plural: "services", Singular: "service", Kind: "Service", Namespaced: true,
        ObjectType: typeof(V1Service), ListType: typeof(V1ServiceList), ShortNames: ["svc"]);

    /// <summary>Endpoints: the addresses of a Service's pods, kept by its endpoints controller (or by hand for a Service without selector).</summary>
    public static readonly ResourceType Endpoints = new(
        Group: "", Version: "v1", Plural: "endpoints", Singular: "endpoints", Kind: "Endpoints", Namespaced: true,
        ObjectType: typeof(V1Endpoints), ListType: typeof(V1EndpointsList), ShortNames: ["ep"]);

    /// <summary>EndpointSlices: a Service's endpoints in slices of at most 100, with their conditions.</summary>
    public static readonly ResourceType EndpointSlices = new(
        Group: "discovery.k8s.io", Version: "v1", Plural: "endpointslices", Singular: "endpointslice", Kind: "EndpointSlice", Namespaced: true,
        ObjectType: typeof(V1EndpointSlice), ListType: typeof(V1EndpointSliceList), ShortNames: []);

    /// <summary>Events (core/v1): what the kubelet and the controllers report about an object; stored once, also served as <see cref="EventsV1"/>.</summary>
    public static readonly ResourceType Events = new(
        Group: "", Version: "v1", Plural: "events", Singular: "event", Kind: "Event", Namespaced: true,
        ObjectType: typeof(Corev1Event), ListType: typeof(Corev1EventList), ShortNames: ["ev"]);

    /// <summary>Events (events.k8s.io/v1): the same stored objects as <see cref="Events"/>, in the newer representation.</summary>
    public static readonly ResourceType EventsV1 = new(
        Group: "events.k8s.io", Version: "v1", Plural: "events", Singular: "event", Kind: "Event", Namespaced: true,
        ObjectType: typeof(Eventsv1Event), ListType: typeof(Eventsv1EventList), ShortNames: ["ev"]);

    /// <summary>IPAddresses: one per allocated ClusterIP, named by the address; creating one is what reserves it.</summary>
    public static readonly ResourceType IPAddresses = new(
        Group: "networking.k8s.io", Version: "v1", Plural: "ipaddresses", Singular: "ipaddress", Kind: "IPAddress", Namespaced: false,
        ObjectType: typeof(V1IPAddress), ListType: typeof(V1IPAddressList), ShortNames: ["ip"]);

    /// <summary>Leases (coordination.k8s.io/v1): a holder's claim on a name for a time, what leader election and heartbeats use.</summary>
    public static readonly ResourceType Leases = new(
        Group: "coordination.k8s.io", Version: "v1", Plural: "leases", Singular: "lease", Kind: "Lease", Namespaced: true,
        ObjectType: typeof(V1Lease), ListType: typeof(V1LeaseList), ShortNames: []);

    /// <summary>ConfigMaps: configuration a pod reads as environment variables or files.</summary>
    public static readonly ResourceType ConfigMaps = new(
        Group: "", Version: "v1", Plural: "configmaps", Singular: "configmap", Kind: "ConfigMap", Namespaced: true,
        ObjectType: typeof(V1ConfigMap), ListType: typeof(V1ConfigMapList), ShortNames: ["cm"]);

    /// <summary>Secrets: sensitive data (keys, passwords, registry credentials) a pod reads as environment variables or files.</summary>
    public static readonly ResourceType Secrets = new(
        Group: "", Version: "v1", Plural: "secrets", Singular: "secret", Kind: "Secret", Namespaced: true,
        ObjectType: typeof(V1Secret), ListType: typeof(V1SecretList), ShortNames: []);
}
