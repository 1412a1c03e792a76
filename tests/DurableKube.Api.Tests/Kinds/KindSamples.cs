using DurableKube.Api.Tests.Support;

namespace DurableKube.Api.Tests.Kinds;

/// <summary>
/// One minimal valid object of every kind the server serves, by group-resource (<c>pods</c>,
/// <c>replicasets.apps</c>), for <see cref="EveryKindIsServedTests"/> to walk through the API as kubectl
/// and the C# client would. A kind registered without a sample here fails that test: when you add a
/// kind, add its sample here.
/// </summary>
/// <remarks>
/// A sample is the JSON <c>kubectl create -f</c> would send: <c>apiVersion</c>, <c>kind</c> and a
/// <c>metadata.name</c>, no namespace (the test creates namespaced kinds in a fresh namespace of their
/// own), and the least the kind's validation accepts. Prefer an object a delete removes at once (an
/// unbound pod, not a bound one); a kind whose delete only marks the object names in
/// <see cref="Sample.FinishDeletion"/> the step its controller takes to remove it.
/// </remarks>
internal static class KindSamples
{
    /// <summary>Gets the samples, by group-resource.</summary>
    public static IReadOnlyDictionary<string, Sample> ByGroupResource { get; } = new Dictionary<string, Sample>(StringComparer.Ordinal)
    {
        // Unbound (no spec.nodeName), so a delete removes it at once.
        ["pods"] = new("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"walked"},
             "spec":{"containers":[{"name":"app","image":"busybox:1.36","command":["sleep","3600"]}]}}
            """),

        // A delete marks a namespace Terminating; the namespace controller removes it by clearing its
        // spec finalizers through the finalize subresource once it is empty, as this does.
        ["namespaces"] = new("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"walked"}}""")
        {
            FinishDeletion = async (api, url) =>
                (await api.PutAsync(url + "/finalize", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"walked"},"spec":{"finalizers":[]}}""")).AssertOk(),
        },

        ["nodes"] = new("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"walked"}}"""),

        ["replicasets.apps"] = new("""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"walked"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"walked"}},
                     "template":{"metadata":{"labels":{"app":"walked"}},
                                 "spec":{"containers":[{"name":"app","image":"busybox:1.36","command":["sleep","3600"]}]}}}}
            """),

        // The selector and the template's job labels are generated from the uid.
        ["jobs.batch"] = new("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"walked"},
             "spec":{"template":{"spec":{"restartPolicy":"Never",
                                         "containers":[{"name":"pi","image":"perl:5.34.0","command":["perl","-e","print 1"]}]}}}}
            """),

        ["cronjobs.batch"] = new("""
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"walked"},
             "spec":{"schedule":"*/5 * * * *",
                     "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
                                                                 "containers":[{"name":"hello","image":"busybox:1.36","command":["date"]}]}}}}}}
            """),

        ["deployments.apps"] = new("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"walked"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"walked"}},
                     "template":{"metadata":{"labels":{"app":"walked"}},
                                 "spec":{"containers":[{"name":"app","image":"busybox:1.36","command":["sleep","3600"]}]}}}}
            """),

        ["statefulsets.apps"] = new("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"walked"},
             "spec":{"replicas":2,"serviceName":"walked","selector":{"matchLabels":{"app":"walked"}},
                     "template":{"metadata":{"labels":{"app":"walked"}},
                                 "spec":{"containers":[{"name":"app","image":"busybox:1.36","command":["sleep","3600"]}]}}}}
            """),

        // What a StatefulSet keeps of one of its templates: the patch that restores it.
        ["controllerrevisions.apps"] = new("""
            {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"walked"},
             "data":{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"walked"}}}}},"revision":1}
            """),

        ["services"] = new("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"walked"},
             "spec":{"selector":{"app":"walked"},"ports":[{"port":80,"targetPort":8080}]}}
            """),

        ["configmaps"] = new("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"walked"},"data":{"k":"v"}}
            """),

        ["secrets"] = new("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"walked"},"data":{"k":"dg=="}}
            """),

        ["endpoints"] = new("""
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"walked"},
             "subsets":[{"addresses":[{"ip":"127.1.0.9"}],"ports":[{"port":8080}]}]}
            """),

        ["endpointslices.discovery.k8s.io"] = new("""
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"walked"},
             "addressType":"IPv4","endpoints":[{"addresses":["127.1.0.9"]}],"ports":[{"port":8080}]}
            """),

        // The walk creates namespaced kinds in "walk-<group-resource>", which an event's object must name.
        ["events"] = new("""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"walked"},
             "involvedObject":{"kind":"Pod","namespace":"walk-events","name":"web"},"reason":"Started","message":"Started container app",
             "source":{"component":"kubelet","host":"node-1"},"type":"Normal","count":1}
            """),

        ["events.events.k8s.io"] = new("""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"walked"},"eventTime":"2026-12-03T07:00:00.000000Z",
             "regarding":{"kind":"Pod","namespace":"walk-events-events-k8s-io","name":"web"},"reason":"Started","note":"Started container app",
             "reportingController":"kubelet","reportingInstance":"node-1","action":"Starting","type":"Normal"}
            """),

        ["ipaddresses.networking.k8s.io"] = new("""
            {"apiVersion":"networking.k8s.io/v1","kind":"IPAddress","metadata":{"name":"walked"},
             "spec":{"parentRef":{"group":"","resource":"services","namespace":"default","name":"walked"}}}
            """),

        ["leases.coordination.k8s.io"] = new("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"walked"},
             "spec":{"holderIdentity":"walker-1","leaseDurationSeconds":15,"acquireTime":"2026-12-03T10:00:00.000000Z",
                     "renewTime":"2026-12-03T10:00:05.000000Z","leaseTransitions":0}}
            """),
    };

    /// <summary>A sample object of one kind.</summary>
    /// <param name="Json">The object as JSON, with a <c>metadata.name</c>.</param>
    internal sealed record Sample(string Json)
    {
        /// <summary>
        /// Gets, for a kind whose delete marks the object rather than removing it (finalizers a
        /// controller the API alone does not run removes), what that controller does last, given the
        /// host and the object's URL. <see langword="null"/> for a sample a delete removes at once.
        /// </summary>
        public Func<ApiHost, string, Task>? FinishDeletion { get; init; }
    }
}
