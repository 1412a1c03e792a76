using System.Text.Json.Nodes;
using DurableKube.Domain.Patching;
using k8s.Models;

namespace DurableKube.Domain.Tests.Patching;

/// <summary>
/// Strategic merge patch cases, re-expressed on real Kubernetes types from the apply tests of
/// k8s.io/apimachinery/pkg/util/strategicpatch (current object + patch = result), the kubectl patch task page
/// and what kubectl apply sends.
/// </summary>
public class StrategicMergePatchTests
{
    private const string Pod = "{'metadata':{'name':'web'},'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]}}";

    public static TheoryData<string, Type, string, string, string> Cases => new()
    {
        // ---- maps ----
        {
            "a map merges recursively",
            typeof(V1Pod),
            "{'metadata':{'name':'web','labels':{'app':'web'}}}",
            "{'metadata':{'labels':{'tier':'frontend'}}}",
            "{'metadata':{'name':'web','labels':{'app':'web','tier':'frontend'}}}"
        },
        {
            "null deletes a field",
            typeof(V1Pod),
            "{'metadata':{'name':'web','labels':{'app':'web','tier':'frontend'}},'spec':{'nodeName':'n1'}}",
            "{'metadata':{'labels':{'tier':null}},'spec':{'nodeName':null}}",
            "{'metadata':{'name':'web','labels':{'app':'web'}},'spec':{}}"
        },
        {
            "null for a field that is not there changes nothing",
            typeof(V1Pod),
            "{'metadata':{'name':'web'}}",
            "{'metadata':{'uid':null}}",
            "{'metadata':{'name':'web'}}"
        },
        {
            "a new map keeps its non-null members only",
            typeof(V1Pod),
            "{'metadata':{'name':'web'}}",
            "{'metadata':{'labels':{'a':'1','b':null}},'spec':{'nodeSelector':{'x':null}}}",
            "{'metadata':{'name':'web','labels':{'a':'1'}},'spec':{'nodeSelector':{}}}"
        },
        {
            "a scalar is replaced",
            typeof(V1Pod),
            Pod,
            "{'spec':{'restartPolicy':'Never'}}",
            "{'metadata':{'name':'web'},'spec':{'restartPolicy':'Never','containers':[{'name':'web','image':'nginx:1.25'}]}}"
        },
        {
            "$patch: replace makes the patch map the whole map",
            typeof(V1Pod),
            "{'metadata':{'name':'web','labels':{'a':'1','b':'2'}}}",
            "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}",
            "{'metadata':{'name':'web','labels':{'c':'3'}}}"
        },
        {
            "$patch: replace at the root replaces the whole object",
            typeof(V1Pod),
            Pod,
            "{'$patch':'replace','kind':'Pod','metadata':{'name':'other'}}",
            "{'kind':'Pod','metadata':{'name':'other'}}"
        },
        {
            "$patch: delete empties a map",
            typeof(V1Deployment),
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}}}}",
            "{'spec':{'strategy':{'rollingUpdate':{'$patch':'delete'}}}}",
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{}}}}"
        },
        {
            "a map with a directive is not added where there is none",
            typeof(V1Deployment),
            "{'spec':{'replicas':1}}",
            "{'spec':{'strategy':{'$patch':'delete'}}}",
            "{'spec':{'replicas':1}}"
        },
        {
            "a value of another kind replaces",
            typeof(V1Pod),
            "{'spec':{'overhead':{'cpu':'1'}}}",
            "{'spec':{'overhead':{'cpu':2}}}",
            "{'spec':{'overhead':{'cpu':2}}}"
        },

        // ---- lists without a strategy are replaced ----
        {
            "tolerations have no merge strategy: replaced",
            typeof(V1Pod),
            "{'spec':{'tolerations':[{'key':'a','operator':'Exists'},{'key':'b','operator':'Exists'}]}}",
            "{'spec':{'tolerations':[{'key':'c','operator':'Exists'}]}}",
            "{'spec':{'tolerations':[{'key':'c','operator':'Exists'}]}}"
        },
        {
            "container args are replaced",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web','args':['a','b']}]}}",
            "{'spec':{'containers':[{'name':'web','args':['c']}]}}",
            "{'spec':{'containers':[{'name':'web','args':['c']}]}}"
        },
        {
            "readiness gates are replaced",
            typeof(V1Pod),
            "{'spec':{'readinessGates':[{'conditionType':'a'}]}}",
            "{'spec':{'readinessGates':[{'conditionType':'b'}]}}",
            "{'spec':{'readinessGates':[{'conditionType':'b'}]}}"
        },
        {
            "volumeClaimTemplates are replaced",
            typeof(V1StatefulSet),
            "{'spec':{'volumeClaimTemplates':[{'metadata':{'name':'a'}},{'metadata':{'name':'b'}}]}}",
            "{'spec':{'volumeClaimTemplates':[{'metadata':{'name':'c'}}]}}",
            "{'spec':{'volumeClaimTemplates':[{'metadata':{'name':'c'}}]}}"
        },

        // ---- lists merged by key ----
        {
            "containers merge by name, keeping defaulted fields",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web','image':'nginx:1.25','imagePullPolicy':'IfNotPresent','terminationMessagePath':'/dev/termination-log'}]}}",
            "{'spec':{'containers':[{'name':'web','image':'nginx:1.26'}]}}",
            "{'spec':{'containers':[{'name':'web','image':'nginx:1.26','imagePullPolicy':'IfNotPresent','terminationMessagePath':'/dev/termination-log'}]}}"
        },
        {
            "a new container goes before the server's (no $setElementOrder)",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web','image':'nginx'}]}}",
            "{'spec':{'containers':[{'name':'log','image':'busybox'}]}}",
            "{'spec':{'containers':[{'name':'log','image':'busybox'},{'name':'web','image':'nginx'}]}}"
        },
        {
            "the patch's order wins over the live order",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','env':[{'name':'1'},{'name':'2','value':'b'},{'name':'3'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'3','value':'c'},{'name':'1','value':'a'},{'name':'2','valueFrom':{'fieldRef':{'fieldPath':'x'}}}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'3','value':'c'},{'name':'1','value':'a'},{'name':'2','value':'b','valueFrom':{'fieldRef':{'fieldPath':'x'}}}]}]}}"
        },
        {
            "server-only elements keep their place before later patch elements",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','env':[{'name':'1'},{'name':'2','value':'b'},{'name':'3'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'3','value':'c'},{'name':'1','value':'a'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'2','value':'b'},{'name':'3','value':'c'},{'name':'1','value':'a'}]}]}}"
        },
        {
            "ports merge by containerPort",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}",
            "{'spec':{'containers':[{'name':'web','$setElementOrder/ports':[{'containerPort':80},{'containerPort':443}],'ports':[{'containerPort':80,'name':'http'},{'containerPort':443,'name':'https'}]}]}}",
            "{'spec':{'containers':[{'name':'web','ports':[{'containerPort':80,'protocol':'TCP','name':'http'},{'containerPort':443,'name':'https'}]}]}}"
        },
        {
            "volumeMounts merge by mountPath",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web','volumeMounts':[{'name':'data','mountPath':'/data'}]}]}}",
            "{'spec':{'containers':[{'name':'web','volumeMounts':[{'mountPath':'/data','readOnly':true}]}]}}",
            "{'spec':{'containers':[{'name':'web','volumeMounts':[{'name':'data','mountPath':'/data','readOnly':true}]}]}}"
        },
        {
            "imagePullSecrets merge by name",
            typeof(V1Pod),
            "{'spec':{'imagePullSecrets':[{'name':'a'}]}}",
            "{'spec':{'imagePullSecrets':[{'name':'b'}]}}",
            "{'spec':{'imagePullSecrets':[{'name':'b'},{'name':'a'}]}}"
        },
        {
            "hostAliases merge by ip, their hostnames are replaced",
            typeof(V1Pod),
            "{'spec':{'hostAliases':[{'ip':'10.0.0.1','hostnames':['a']},{'ip':'10.0.0.2','hostnames':['b']}]}}",
            "{'spec':{'hostAliases':[{'ip':'10.0.0.1','hostnames':['c']}]}}",
            "{'spec':{'hostAliases':[{'ip':'10.0.0.1','hostnames':['c']},{'ip':'10.0.0.2','hostnames':['b']}]}}"
        },
        {
            "pod conditions merge by type",
            typeof(V1Pod),
            "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}]}}"
        },
        {
            "ownerReferences merge by uid",
            typeof(V1ReplicaSet),
            "{'metadata':{'ownerReferences':[{'uid':'u1','name':'d1','kind':'Deployment','apiVersion':'apps/v1'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'u1','controller':true}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'u1','name':'d1','kind':'Deployment','apiVersion':'apps/v1','controller':true}]}}"
        },
        {
            "service ports merge by port",
            typeof(V1Service),
            "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':8443}]}}",
            "{'spec':{'ports':[{'port':443,'targetPort':9443}]}}",
            "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':9443}]}}"
        },
        {
            "node addresses merge by type",
            typeof(V1Node),
            "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'Hostname','address':'n1'}]}}",
            "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.9'}]}}",
            "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.9'},{'type':'Hostname','address':'n1'}]}}"
        },
        {
            "job conditions merge by type",
            typeof(V1Job),
            "{'status':{'conditions':[{'type':'Suspended','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Complete','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Complete','status':'True'},{'type':'Suspended','status':'True'}]}}"
        },
        {
            "a merging list that is missing is added without directives",
            typeof(V1Pod),
            "{'spec':{}}",
            "{'spec':{'initContainers':[{'name':'init','image':'busybox'},{'$patch':'delete','name':'gone'}]}}",
            "{'spec':{'initContainers':[{'name':'init','image':'busybox'}]}}"
        },
        {
            "merging an empty list into an empty list",
            typeof(V1Pod),
            "{'spec':{'containers':[]}}",
            "{'spec':{'containers':[]}}",
            "{'spec':{'containers':[]}}"
        },

        // ---- lists of primitives with merge strategy are sets ----
        {
            "finalizers merge as a set",
            typeof(V1Pod),
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'finalizers':['b','c']}}",
            "{'metadata':{'finalizers':['a','b','c']}}"
        },
        {
            "the patch's order of a set wins",
            typeof(V1Node),
            "{'spec':{'podCIDRs':['1','2','3']}}",
            "{'spec':{'podCIDRs':['3','1']}}",
            "{'spec':{'podCIDRs':['2','3','1']}}"
        },
        {
            "$deleteFromPrimitiveList removes from a set",
            typeof(V1Pod),
            "{'metadata':{'finalizers':['a','b','c']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
            "{'metadata':{'finalizers':['a','c']}}"
        },
        {
            "$deleteFromPrimitiveList and additions together",
            typeof(V1Pod),
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a'],'finalizers':['c']}}",
            "{'metadata':{'finalizers':['c','b']}}"
        },
        {
            "$deleteFromPrimitiveList of a missing item changes nothing",
            typeof(V1Pod),
            "{'metadata':{'finalizers':['a']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['z']}}",
            "{'metadata':{'finalizers':['a']}}"
        },
        {
            "$deleteFromPrimitiveList on a missing list does not add it",
            typeof(V1Pod),
            "{'metadata':{'name':'a'}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['z']}}",
            "{'metadata':{'name':'a'}}"
        },
        {
            "$deleteFromPrimitiveList works on a list without merge strategy",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','args':['1','2','3']}]}}",
            "{'spec':{'containers':[{'name':'a','$deleteFromPrimitiveList/args':['2']}]}}",
            "{'spec':{'containers':[{'name':'a','args':['1','3']}]}}"
        },

        // ---- list directives ----
        {
            "{$patch: delete, name} removes an element",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web'},{'name':'sidecar'}]}}",
            "{'spec':{'containers':[{'$patch':'delete','name':'sidecar'}]}}",
            "{'spec':{'containers':[{'name':'web'}]}}"
        },
        {
            "$patch: delete removes every duplicate",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','env':[{'name':'1'},{'name':'1'},{'name':'2','value':'a'},{'name':'3'},{'name':'3'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'1','$patch':'delete'},{'name':'3','$patch':'delete'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'2','value':'a'}]}]}}"
        },
        {
            "$patch: delete of a missing element changes nothing",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web'}]}}",
            "{'spec':{'containers':[{'$patch':'delete','name':'nope'}]}}",
            "{'spec':{'containers':[{'name':'web'}]}}"
        },
        {
            "add one element and delete another",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
            "{'spec':{'containers':[{'name':'c','image':'x'},{'$patch':'delete','name':'a'}]}}",
            "{'spec':{'containers':[{'name':'c','image':'x'},{'name':'b'}]}}"
        },
        {
            "{$patch: replace} in a list makes the rest the whole list",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
            "{'spec':{'containers':[{'name':'c','image':'x'},{'$patch':'replace'}]}}",
            "{'spec':{'containers':[{'name':'c','image':'x'}]}}"
        },
        {
            "{$patch: replace} alone empties a merging list",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
            "{'spec':{'containers':[{'$patch':'replace'}]}}",
            "{'spec':{'containers':[]}}"
        },

        // ---- $setElementOrder ----
        {
            "$setElementOrder puts a new element first",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','env':[{'name':'1','value':'a'},{'name':'2','value':'b'}]}]}}",
            "{'spec':{'containers':[{'name':'a','$setElementOrder/env':[{'name':'3'},{'name':'1'},{'name':'2'}],'env':[{'name':'3','value':'c'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'3','value':'c'},{'name':'1','value':'a'},{'name':'2','value':'b'}]}]}}"
        },
        {
            "$setElementOrder places several new elements",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'1','image':'a'},{'name':'2','image':'b'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'1'},{'name':'4'},{'name':'2'},{'name':'3'}],'containers':[{'name':'4','image':'d'},{'name':'3','image':'c'}]}}",
            "{'spec':{'containers':[{'name':'1','image':'a'},{'name':'4','image':'d'},{'name':'2','image':'b'},{'name':'3','image':'c'}]}}"
        },
        {
            "$setElementOrder alone reorders",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'1'},{'name':'3','image':'c'},{'name':'4','image':'d'},{'name':'2','image':'b'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'4'},{'name':'2'},{'name':'3'},{'name':'1'}]}}",
            "{'spec':{'containers':[{'name':'4','image':'d'},{'name':'2','image':'b'},{'name':'3','image':'c'},{'name':'1'}]}}"
        },
        {
            "$setElementOrder keeps server-only elements where they were",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'1'},{'name':'2'},{'name':'7'},{'name':'9'},{'name':'8'},{'name':'3'},{'name':'4'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'}]}}",
            "{'spec':{'containers':[{'name':'2'},{'name':'1'},{'name':'7'},{'name':'9'},{'name':'8'},{'name':'4'},{'name':'3'}]}}"
        },
        {
            "$setElementOrder may name elements the list does not have",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'1'},{'name':'3'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'3'},{'name':'2'},{'name':'1'}],'containers':[{'name':'3','image':'c'},{'name':'1','image':'a'}]}}",
            "{'spec':{'containers':[{'name':'3','image':'c'},{'name':'1','image':'a'}]}}"
        },
        {
            "$setElementOrder of a set",
            typeof(V1Pod),
            "{'metadata':{'finalizers':['1','2','4']}}",
            "{'metadata':{'$setElementOrder/finalizers':['1','2','3'],'finalizers':['3']}}",
            "{'metadata':{'finalizers':['1','2','3','4']}}"
        },
        {
            "$setElementOrder with duplicates in the live list",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','env':[{'name':'1'},{'name':'2','value':'dup1'},{'name':'3'},{'name':'2','value':'dup2'},{'name':'4'}]}]}}",
            "{'spec':{'containers':[{'name':'a','$setElementOrder/env':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'},{'name':'2'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'2','value':'dup1'},{'name':'2','value':'dup2'},{'name':'1'},{'name':'4'},{'name':'3'}]}]}}"
        },
        {
            "delete in one list and reorder another",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','image':'a'},{'name':'b','image':'b'}],'initContainers':[{'name':'c','image':'c'},{'name':'d','image':'d'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'b'}],'$setElementOrder/initContainers':[{'name':'d'},{'name':'c'}],'containers':[{'$patch':'delete','name':'a'}]}}",
            "{'spec':{'containers':[{'name':'b','image':'b'}],'initContainers':[{'name':'d','image':'d'},{'name':'c','image':'c'}]}}"
        },

        // ---- $retainKeys ----
        {
            "$retainKeys clears the union members it leaves out (Deployment strategy)",
            typeof(V1Deployment),
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}"
        },
        {
            "$retainKeys in a volume switches its source",
            typeof(V1Pod),
            "{'spec':{'volumes':[{'name':'data','emptyDir':{}},{'name':'other','emptyDir':{}}]}}",
            "{'spec':{'$setElementOrder/volumes':[{'name':'data'},{'name':'other'}],'volumes':[{'$retainKeys':['configMap','name'],'configMap':{'name':'cfg'},'name':'data'}]}}",
            "{'spec':{'volumes':[{'name':'data','configMap':{'name':'cfg'}},{'name':'other','emptyDir':{}}]}}"
        },
        {
            "without $retainKeys a union field merges as usual",
            typeof(V1Deployment),
            "{'spec':{'strategy':{'type':'RollingUpdate'}}}",
            "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':1}}}}",
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}"
        },
        {
            "$retainKeys with a null for a member to clear",
            typeof(V1Deployment),
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}",
            "{'spec':{'strategy':{'type':'Recreate'}}}"
        },

        // ---- untyped places ----
        {
            "a field the model does not know is added as is",
            typeof(V1Pod),
            "{'spec':{}}",
            "{'spec':{'futureField':{'a':[1]}}}",
            "{'spec':{'futureField':{'a':[1]}}}"
        },
        {
            "quantities and int-or-strings take any scalar",
            typeof(V1Deployment),
            "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'25%'}}}}",
            "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':2}}}}",
            "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':2}}}}"
        },
    };

    /// <summary>What <c>kubectl apply</c> (client side) sends as PATCH after a change to the applied file.</summary>
    public static TheoryData<string, Type, string, string, string> KubectlApply => new()
    {
        {
            "changed container image",
            typeof(V1Deployment),
            "{'metadata':{'name':'web','annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old','deployment.kubernetes.io/revision':'1'}},'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.25','imagePullPolicy':'IfNotPresent','resources':{}}],'restartPolicy':'Always'}}}}",
            "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'image':'nginx:1.26','name':'web'}]}}}}",
            "{'metadata':{'name':'web','annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new','deployment.kubernetes.io/revision':'1'}},'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.26','imagePullPolicy':'IfNotPresent','resources':{}}],'restartPolicy':'Always'}}}}"
        },
        {
            "added env var",
            typeof(V1Deployment),
            "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx','env':[{'name':'A','value':'1'}]}]}}}}",
            "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'$setElementOrder/env':[{'name':'A'},{'name':'B'}],'env':[{'name':'B','value':'2'}],'name':'web'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}}}"
        },
        {
            "removed env var",
            typeof(V1Deployment),
            "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}}}",
            "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'$setElementOrder/env':[{'name':'A'}],'env':[{'$patch':'delete','name':'B'}],'name':'web'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx','env':[{'name':'A','value':'1'}]}]}}}}"
        },
        {
            "removed the last env var",
            typeof(V1Deployment),
            "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx','env':[{'name':'A','value':'1'}]}]}}}}",
            "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'env':null,'name':'web'}]}}}}",
            "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx'}]}}}}"
        },
        {
            "removed container",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'web','image':'nginx','terminationMessagePolicy':'File'},{'name':'sidecar','image':'busybox'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'$patch':'delete','name':'sidecar'}]}}",
            "{'spec':{'containers':[{'name':'web','image':'nginx','terminationMessagePolicy':'File'}]}}"
        },
        {
            "added container in the middle",
            typeof(V1Pod),
            "{'spec':{'containers':[{'name':'a','image':'a'},{'name':'c','image':'c'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'},{'name':'c'}],'containers':[{'image':'b','name':'b'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'a'},{'name':'b','image':'b'},{'name':'c','image':'c'}]}}"
        },
        {
            "removed label",
            typeof(V1Pod),
            "{'metadata':{'name':'web','labels':{'app':'web','tier':'frontend'},'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}}}",
            "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'},'labels':{'tier':null}}}",
            "{'metadata':{'name':'web','labels':{'app':'web'},'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}}}"
        },
        {
            "changed replicas and a port",
            typeof(V1Deployment),
            "{'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'web','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}}}",
            "{'spec':{'replicas':3,'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'$setElementOrder/ports':[{'containerPort':8080}],'name':'web','ports':[{'containerPort':8080},{'$patch':'delete','containerPort':80}]}]}}}}",
            "{'spec':{'replicas':3,'template':{'spec':{'containers':[{'name':'web','ports':[{'containerPort':8080}]}]}}}}"
        },
    };

    public static TheoryData<string, Type, string, string, int, string> Errors => new()
    {
        { "a merge-keyed element without its key", typeof(V1Pod), "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[{'image':'b'}]}}", 422, "does not contain declared merge key: name" },
        { "a delete directive without the key", typeof(V1Pod), "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[{'$patch':'delete'}]}}", 422, "does not contain declared merge key: name" },
        { "$patch: merge in a list", typeof(V1Pod), "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[{'$patch':'merge'}]}}", 422, "merging lists cannot yet be specified in the patch" },
        { "$patch: merge in a map", typeof(V1Pod), "{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'$patch':'merge','b':'2'}}}", 422, "unknown patch type: \"merge\"" },
        { "an unknown $patch value", typeof(V1Pod), "{'metadata':{}}", "{'metadata':{'$patch':'frobnicate'}}", 422, "unknown patch type" },
        { "an unknown directive", typeof(V1Pod), "{'metadata':{}}", "{'metadata':{'$frob':1}}", 422, "unknown strategic merge patch directive \"$frob\"" },
        { "an unknown directive in a new value", typeof(V1Pod), "{'spec':{}}", "{'spec':{'nodeSelector':{'$frob':'1'}}}", 422, "unknown strategic merge patch directive" },
        { "an object for a list", typeof(V1Pod), "{'spec':{}}", "{'spec':{'containers':{'name':'a'}}}", 422, "\"spec.containers\" (list of V1Container) cannot take a JSON object" },
        { "a string for an object", typeof(V1Pod), "{}", "{'metadata':'web'}", 422, "\"metadata\" (V1ObjectMeta) cannot take a JSON string" },
        { "a list for a map", typeof(V1Pod), "{}", "{'metadata':{'labels':['a']}}", 422, "\"metadata.labels\" (map of String) cannot take a JSON array" },
        { "an object for a string inside a list", typeof(V1Pod), "{}", "{'spec':{'containers':[{'name':{'a':1}}]}}", 422, "\"spec.containers[0].name\" (String) cannot take a JSON object" },
        { "mixed element kinds", typeof(V1Pod), "{'spec':{'tolerations':[]}}", "{'metadata':{'finalizers':['a',{'b':1}]}}", 422, "cannot take a JSON object" },
        { "order that contradicts $setElementOrder", typeof(V1Pod), "{'spec':{'containers':[{'name':'1'},{'name':'3'},{'name':'2'}]}}", "{'spec':{'$setElementOrder/containers':[{'name':'1'},{'name':'2'},{'name':'3'}],'containers':[{'name':'3','image':'c'},{'name':'1','image':'a'}]}}", 422, "doesn't match $setElementOrder/containers list" },
        { "order that contradicts $setElementOrder of a set", typeof(V1Pod), "{'metadata':{'finalizers':['1','3','2']}}", "{'metadata':{'$setElementOrder/finalizers':['1','2','3'],'finalizers':['3','1']}}", 422, "doesn't match" },
        { "$setElementOrder of a field that is not a list", typeof(V1Pod), "{}", "{'$setElementOrder/spec':[]}", 422, "expected slice or array type" },
        { "$setElementOrder of an unknown field", typeof(V1Pod), "{'spec':{}}", "{'spec':{'$setElementOrder/nope':[]}}", 422, "unable to find api field in struct V1PodSpec for the json field \"nope\"" },
        { "merging into a field the model does not know", typeof(V1Pod), "{'spec':{'futureField':{'a':1}}}", "{'spec':{'futureField':{'b':2}}}", 422, "unable to find api field in struct V1PodSpec for the json field \"futureField\"" },
        { "$setElementOrder without a list name", typeof(V1Pod), "{}", "{'$setElementOrder':[]}", 400, "invalid patch format of setElementOrder list" },
        { "$setElementOrder that is not a list", typeof(V1Pod), "{'spec':{}}", "{'spec':{'$setElementOrder/containers':{}}}", 400, "invalid patch format of setElementOrder list" },
        { "$deleteFromPrimitiveList without a list name", typeof(V1Pod), "{'metadata':{}}", "{'metadata':{'$deleteFromPrimitiveList':['a']}}", 400, "invalid patch format of primitive list" },
        { "$retainKeys that is not a list", typeof(V1Deployment), "{'spec':{'strategy':{}}}", "{'spec':{'strategy':{'$retainKeys':'type'}}}", 400, "invalid patch format of retainKeys" },
        { "a patch field outside $retainKeys", typeof(V1Deployment), "{'spec':{'strategy':{}}}", "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':{}}}}", 400, "invalid patch format of retainKeys" },
        { "a patch that is not an object", typeof(V1Pod), "{}", "['a']", 400, "must be a JSON object" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(KubectlApply))]
    public void Apply_PatchesLikeTheApiServer(string name, Type type, string original, string patch, string expected)
    {
        var result = StrategicMergePatch.Apply(Json.Parse(original), Json.Text(patch), type);

        Assert.False(string.IsNullOrEmpty(name));
        Json.Equal(expected, result);
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Apply_RefusesBadPatches(string name, Type type, string original, string patch, int status, string message)
    {
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Json.Parse(original), Json.Text(patch), type));

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MalformedJson_IsBadRequest()
    {
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(new JsonObject(), "{'spec':", typeof(V1Pod)));

        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Apply_LeavesItsInputsAlone()
    {
        var original = Json.Parse("{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'}]}}")!;
        var patch = Json.Parse("{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],'containers':[{'name':'a','image':'2'}]}}")!;
        var originalText = original.ToJsonString();
        var patchText = patch.ToJsonString();

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("{'spec':{'containers':[{'name':'b'},{'name':'a','image':'2'}]}}", result);
        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }

    [Fact]
    public void Apply_NullPatchAndNullOriginal_GiveTheOriginalAndAnEmptyObject()
    {
        Json.Equal("{'a':1}", StrategicMergePatch.Apply(Json.Parse("{'a':1}"), (JsonNode?)null, typeof(V1Pod)));
        Json.Equal("{'kind':'Pod'}", StrategicMergePatch.Apply(null, "{'kind':'Pod'}".Replace('\'', '"'), typeof(V1Pod)));
    }

    [Fact]
    public void Apply_ResultDeserializesIntoTheModel()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "web", Image = "nginx:1.25", Env = [new V1EnvVar { Name = "A", Value = "1" }] }],
            },
        };
        var original = Serialization.KubeJson.ToNode(pod);

        var patched = StrategicMergePatch.Apply(
            original,
            Json.Text("{'metadata':{'labels':{'tier':'fe'}},'spec':{'containers':[{'name':'web','image':'nginx:1.26','env':[{'name':'B','value':'2'}]}]}}"),
            typeof(V1Pod));
        var result = (V1Pod)Serialization.KubeJson.Deserialize(patched, typeof(V1Pod))!;

        Assert.Equal("nginx:1.26", result.Spec.Containers[0].Image);
        Assert.Equal(["B", "A"], result.Spec.Containers[0].Env.Select(e => e.Name));
        Assert.Equal("fe", result.Metadata.Labels["tier"]);
    }
}
