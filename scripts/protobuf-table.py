#!/usr/bin/env python3
"""Regenerates src/DurableKube.Domain/Serialization/Protobuf/ProtoTable.g.cs, the protobuf field table the
generic request-body decoder (ProtobufBodyDecoder) reads: for every message reachable from the served kinds,
each field's JSON name, field number, type, whether the Go field is a pointer and whether it is required.

Field numbers and types come from the generated.proto files of k8s.io/api and k8s.io/apimachinery; whether a
scalar field is a Go pointer (written to protobuf only when set, so a zero it carries is a value, `replicas: 0`)
comes from the `*` in the types.go struct fields carrying the same protobuf tag.

Usage (one command; clones the two repositories at TAG into a temporary directory unless given):
    python3 scripts/protobuf-table.py [--tag v0.34.0] [--api DIR] [--apimachinery DIR]

Add a kind: add its message to ROOTS and run the script again.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

# The served kinds' messages (src/DurableKube.Domain/Resources/ResourceTypes.cs), and a few kinds other
# branches serve or will (Events, Leases, PersistentVolumeClaims), so their protobuf bodies decode too.
ROOTS = [
    "k8s.io.api.core.v1.Pod",
    "k8s.io.api.core.v1.Namespace",
    "k8s.io.api.core.v1.Node",
    "k8s.io.api.core.v1.Service",
    "k8s.io.api.core.v1.Endpoints",
    "k8s.io.api.core.v1.ConfigMap",
    "k8s.io.api.core.v1.Secret",
    "k8s.io.api.core.v1.Event",
    "k8s.io.api.core.v1.PersistentVolumeClaim",
    "k8s.io.api.core.v1.ServiceAccount",
    "k8s.io.api.apps.v1.Deployment",
    "k8s.io.api.apps.v1.ReplicaSet",
    "k8s.io.api.apps.v1.StatefulSet",
    "k8s.io.api.apps.v1.DaemonSet",
    "k8s.io.api.apps.v1.ControllerRevision",
    "k8s.io.api.batch.v1.Job",
    "k8s.io.api.batch.v1.CronJob",
    "k8s.io.api.discovery.v1.EndpointSlice",
    "k8s.io.api.networking.v1.IPAddress",
    "k8s.io.api.events.v1.Event",
    "k8s.io.api.coordination.v1.Lease",
    "k8s.io.api.policy.v1.PodDisruptionBudget",
]

API_PACKAGES = ["core/v1", "apps/v1", "batch/v1", "discovery/v1", "networking/v1", "events/v1", "coordination/v1", "policy/v1"]
APIMACHINERY_PACKAGES = ["pkg/apis/meta/v1", "pkg/api/resource", "pkg/util/intstr", "pkg/runtime", "pkg/runtime/schema"]

SCALARS = {"string", "int32", "int64", "bool", "bytes", "double", "float", "uint32", "uint64", "sint32", "sint64"}

MESSAGE_RE = re.compile(r"^message (\w+) \{")
FIELD_RE = re.compile(r"^\s*(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;")
MAP_RE = re.compile(r"^\s*map<\s*(\w+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;")
GO_STRUCT_RE = re.compile(r"^type (\w+) struct \{")
GO_FIELD_RE = re.compile(r"^\s*(?:\w+\s+)?(\*?)[\w.\[\]*]+\s+`json:\"([^\"]*)\"[^`]*protobuf:\"\w+,(\d+),")


def clone(url, tag, into):
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", tag, url, into], check=True)


def parse_proto(path):
    """Yields (message full name, [(json name, number, label, type, map value type)])."""
    package = None
    messages = {}
    current = None
    depth = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            stripped = line.strip()
            if stripped.startswith("//"):
                continue
            if stripped.startswith("package "):
                package = stripped[len("package "):].rstrip(";").strip()
                continue
            m = MESSAGE_RE.match(line)
            if m and depth == 0:
                current = f"{package}.{m.group(1)}"
                messages[current] = []
                depth = 1
                continue
            if current is None:
                continue
            depth += line.count("{") - line.count("}")
            if depth <= 0:
                current = None
                depth = 0
                continue
            m = MAP_RE.match(line)
            if m:
                messages[current].append((m.group(3), int(m.group(4)), "map", m.group(2), None))
                continue
            m = FIELD_RE.match(line)
            if m:
                messages[current].append((m.group(3), int(m.group(4)), m.group(1), m.group(2), None))
    return package, messages


def parse_pointers(directory, package):
    """Returns the Go pointer fields and the required fields (as kube-openapi marks them: `+required`, or neither
    `+optional` nor omitempty) of the package's .go files, each a set of (message full name, field number)."""
    pointers = set()
    required = set()
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".go") or name.endswith("_test.go") or name.startswith("zz_") or name.startswith("generated"):
            continue
        struct = None
        comments = []
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            for line in f:
                m = GO_STRUCT_RE.match(line)
                if m:
                    struct = m.group(1)
                    comments = []
                    continue
                if line.startswith("}"):
                    struct = None
                    continue
                if struct is None:
                    continue
                if line.strip().startswith("//"):
                    comments.append(line.strip())
                    continue
                m = GO_FIELD_RE.match(line)
                if m:
                    key = (f"{package}.{struct}", int(m.group(3)))
                    if m.group(1) == "*":
                        pointers.add(key)
                    tags = " ".join(comments)
                    if "+required" in tags or ("+optional" not in tags and "omitempty" not in m.group(2).split(",")):
                        required.add(key)
                comments = []
    return pointers, required


def resolve(type_name, package):
    if type_name in SCALARS:
        return type_name
    if type_name.startswith("."):
        return type_name[1:]
    return f"{package}.{type_name}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tag", default="v0.34.0", help="the k8s.io/api and k8s.io/apimachinery tag to clone")
    parser.add_argument("--api", help="a k8s.io/api checkout (cloned at --tag when not given)")
    parser.add_argument("--apimachinery", help="a k8s.io/apimachinery checkout (cloned at --tag when not given)")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "src", "DurableKube.Domain",
                                                      "Serialization", "Protobuf", "ProtoTable.g.cs"))
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="k8s-proto-")
    api = args.api or os.path.join(tmp, "api")
    machinery = args.apimachinery or os.path.join(tmp, "apimachinery")
    if not args.api:
        clone("https://github.com/kubernetes/api.git", args.tag, api)
    if not args.apimachinery:
        clone("https://github.com/kubernetes/apimachinery.git", args.tag, machinery)

    messages = {}
    pointers = set()
    required = set()
    for root, packages in ((api, API_PACKAGES), (machinery, APIMACHINERY_PACKAGES)):
        for rel in packages:
            directory = os.path.join(root, rel)
            package, found = parse_proto(os.path.join(directory, "generated.proto"))
            messages.update({name: (package, fields) for name, fields in found.items()})
            found_pointers, found_required = parse_pointers(directory, package)
            pointers |= found_pointers
            required |= found_required

    reachable = []
    seen = set()
    pending = list(ROOTS)
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        if name not in messages:
            sys.exit(f"message {name} not found in the .proto files read")
        seen.add(name)
        reachable.append(name)
        package, fields = messages[name]
        for (_, _, _, type_name, _) in fields:
            resolved = resolve(type_name, package)
            if resolved not in SCALARS and resolved not in seen:
                pending.append(resolved)

    lines = []
    for name in sorted(reachable):
        package, fields = messages[name]
        parts = [name]
        for (json, number, label, type_name, _) in sorted(fields, key=lambda f: f[1]):
            resolved = resolve(type_name, package)
            suffix = {"repeated": "[]", "map": "{}"}.get(label, "")
            pointer = "*" if (name, number) in pointers else ""
            needed = "!" if (name, number) in required else ""
            parts.append(f"{json}={number}:{resolved}{suffix}{pointer}{needed}")
        lines.append("        \"" + "|".join(parts) + "\",")

    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"""// <auto-generated>
// Generated by scripts/protobuf-table.py from the generated.proto and types.go files of k8s.io/api and
// k8s.io/apimachinery {args.tag}. Do not edit: run `python3 scripts/protobuf-table.py` again.
// </auto-generated>
namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>
/// The protobuf messages reachable from the served kinds, one a line:
/// <c>message|jsonName=number:type[]|...</c>, where a type is a scalar (string, int32, int64, bool, bytes, double)
/// or a message's full name, <c>[]</c> marks a repeated field, <c>{{}}</c> a <c>map&lt;string, type&gt;</c>, and
/// <c>*</c> a Go pointer field (written only when set), <c>!</c> a field Kubernetes' OpenAPI marks required.
/// </summary>
internal static class ProtoTable
{{
    /// <summary>The source tag of k8s.io/api and k8s.io/apimachinery.</summary>
    public const string Source = "{args.tag}";

    /// <summary>Gets the messages, one a line.</summary>
    public static string[] Messages {{ get; }} =
    [
{os.linesep.join(lines)}
    ];
}}
""")
    print(f"{len(reachable)} messages written to {os.path.normpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
