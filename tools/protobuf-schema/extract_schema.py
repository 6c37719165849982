#!/usr/bin/env python3
"""Writes LiteKube's protobuf schema table from the Kubernetes API definitions.

Every Kubernetes client binary embeds, for each API group, the gzipped FileDescriptorProto
compiled from that group's generated.proto (k8s.io/api/<group>/<version>/generated.proto and
k8s.io/apimachinery/.../generated.proto), together with the gogoproto options that say which
Go fields are values rather than pointers. This script reads those descriptors out of a kubectl
binary and writes the compact table that src/LiteKube.ApiServer/Serialization/Protobuf reads:
only the messages reachable from ROOTS, one line per message and per field.

Usage (from the repository root; uses only the Python standard library):
  python3 tools/protobuf-schema/extract_schema.py /usr/lib/google-cloud-sdk/bin/kubectl.1.33 \
      > src/LiteKube.ApiServer/Serialization/Protobuf/KubernetesSchema.txt

Table format (whitespace separated; '#' starts a comment line):
  M <message full name> [render]        render: how the message appears in JSON when it is not
                                          an object (quantity, intorstring, time, microtime,
                                          duration, rawjson, stringlist)
  F <number> <json name> <type> [ref] [flags]
      type: string bytes bool int32 int64 uint32 uint64 double float message map
      ref:  the message type (for message), or the map's value type (for map: a scalar type
            name or a message full name)
      flags: repeated;
             omitzero: a Go value (not pointer) field tagged omitempty: a zero value is
               dropped, as Go's JSON encoding drops it; pointers and required fields keep zeros;
             inline: an embedded Go struct (json ",inline"): its fields join the parent object.

Which fields are Go values comes from the gogoproto nullable=false option in the descriptors;
omitempty and inline come from the Go struct tags (json:"..." protobuf:"...") in the same binary,
matched by Go field name, field number and proto name. Where types disagree on a tag shared by
that key, omitempty wins (a zero is dropped: Go decodes absent and zero alike).
"""
import re
import sys
import zlib

# The kinds LiteKube serves (Resources/ResourceCatalog.cs) and the bodies kubectl sends
# besides them (DeleteOptions for delete and drain, Eviction, Scale, TokenRequest).
ROOTS = """
k8s.io.api.core.v1.Namespace k8s.io.api.core.v1.Pod k8s.io.api.core.v1.Service
k8s.io.api.core.v1.Endpoints k8s.io.api.core.v1.ConfigMap k8s.io.api.core.v1.Secret
k8s.io.api.core.v1.ServiceAccount k8s.io.api.core.v1.Node k8s.io.api.core.v1.Event
k8s.io.api.core.v1.LimitRange k8s.io.api.core.v1.ResourceQuota k8s.io.api.core.v1.PersistentVolume
k8s.io.api.core.v1.PersistentVolumeClaim k8s.io.api.core.v1.ReplicationController
k8s.io.api.core.v1.Binding
k8s.io.api.apps.v1.Deployment k8s.io.api.apps.v1.ReplicaSet k8s.io.api.apps.v1.StatefulSet
k8s.io.api.apps.v1.DaemonSet k8s.io.api.apps.v1.ControllerRevision
k8s.io.api.batch.v1.Job k8s.io.api.batch.v1.CronJob
k8s.io.api.coordination.v1.Lease k8s.io.api.discovery.v1.EndpointSlice
k8s.io.api.policy.v1.PodDisruptionBudget k8s.io.api.policy.v1.Eviction
k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler k8s.io.api.autoscaling.v1.Scale
k8s.io.api.events.v1.Event
k8s.io.api.rbac.v1.Role k8s.io.api.rbac.v1.RoleBinding k8s.io.api.rbac.v1.ClusterRole
k8s.io.api.rbac.v1.ClusterRoleBinding
k8s.io.api.authorization.v1.SelfSubjectAccessReview k8s.io.api.authorization.v1.SelfSubjectRulesReview
k8s.io.api.authorization.v1.SubjectAccessReview k8s.io.api.authorization.v1.LocalSubjectAccessReview
k8s.io.api.authentication.v1.TokenReview k8s.io.api.authentication.v1.SelfSubjectReview
k8s.io.api.authentication.v1.TokenRequest
k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions
""".split()

META = "k8s.io.apimachinery.pkg.apis.meta.v1."
RENDER = {
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intorstring",
    META + "Time": "time",
    META + "MicroTime": "microtime",
    META + "Duration": "duration",
    META + "FieldsV1": "rawjson",
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "rawjson",
    # Go slices of strings: protobuf wraps them in a message, JSON writes the array.
    "k8s.io.api.authentication.v1.ExtraValue": "stringlist",
    "k8s.io.api.authorization.v1.ExtraValue": "stringlist",
    META + "Verbs": "stringlist",
}

SCALARS = {1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 8: "bool", 9: "string",
           12: "bytes", 13: "uint32", 17: "int32", 18: "int64"}
GOGO_NULLABLE = 65001
GOGO_CUSTOMNAME = 65004
STRUCT_TAG = re.compile(rb'([A-Z][A-Za-z0-9_]*)[\x01-\x7f]json:"([^"]*)" protobuf:"([^"]*)"')


def json_tags(binary):
    """(Go field name, number, proto name) -> the json tags seen for it."""
    tags = {}
    for match in STRUCT_TAG.finditer(binary):
        go_name, json_tag, proto_tag = (g.decode() for g in match.groups())
        parts = proto_tag.split(",")
        if len(parts) < 2:
            continue
        proto_name = next((p[5:] for p in parts if p.startswith("name=")), "")
        tags.setdefault((go_name, parts[1], proto_name), set()).add(json_tag)
    return tags


def varint(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def fields(data):
    i, out = 0, []
    while i < len(data):
        tag, i = varint(data, i)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 2:
            length, i = varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        out.append((number, value))
    return out


def first(fs, number, default=None):
    return next((v for n, v in fs if n == number), default)


def descriptors(binary):
    """Yields each embedded FileDescriptorProto (as field lists) whose name ends in .proto."""
    for match in re.finditer(rb"\x1f\x8b\x08\x00\x00\x00\x00\x00", binary):
        try:
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(binary[match.start():match.start() + 4_000_000])
            fs = fields(raw)
        except (zlib.error, ValueError, IndexError):
            continue
        name = first(fs, 1)
        if isinstance(name, bytes) and name.endswith(b".proto") and first(fs, 2):
            yield fs


def collect(binary):
    messages = {}

    def add(prefix, descriptor):
        name = prefix + "." + first(descriptor, 1).decode()
        messages[name] = descriptor
        for nested in (v for n, v in descriptor if n == 3):
            add(name, fields(nested))

    for fs in descriptors(binary):
        package = first(fs, 2).decode()
        for message in (v for n, v in fs if n == 4):
            add(package, fields(message))
    return messages


def is_map_entry(descriptor):
    options = first(descriptor, 7)
    return options is not None and first(fields(options), 7) == 1


def describe(field, messages, tags):
    """(json name, number, type, ref, flags) of one FieldDescriptorProto."""
    name = first(field, 1).decode()
    number = first(field, 3)
    repeated = first(field, 4) == 3
    kind = first(field, 5)
    ref = (first(field, 6) or b"").decode().lstrip(".")
    options = fields(first(field, 8) or b"")
    value_field = first(options, GOGO_NULLABLE) == 0
    go_name = (first(options, GOGO_CUSTOMNAME) or (name[:1].upper() + name[1:]).encode()).decode()
    seen = tags.get((go_name, str(number), name)) or tags.get((go_name, str(number), ""), set())
    inline = bool(seen) and all(t.startswith(",inline") for t in seen)
    omitempty = any("omitempty" in t.split(",")[1:] for t in seen) or not seen
    flags = []
    if kind in SCALARS:
        type_name, ref = SCALARS[kind], ""
    elif kind == 11 and repeated and is_map_entry(messages[ref]):
        entry = {first(fields(f), 1).decode(): fields(f) for n, f in messages[ref] if n == 2}
        value = entry["value"]
        type_name = "map"
        ref = SCALARS.get(first(value, 5)) or (first(value, 6) or b"").decode().lstrip(".")
        repeated = False
    elif kind == 11:
        type_name = "message"
    else:
        raise ValueError(f"{name}: unsupported field type {kind}")
    if repeated:
        flags.append("repeated")
    if value_field and omitempty and not repeated and type_name not in ("map", "message"):
        flags.append("omitzero")
    if inline and type_name == "message":
        flags.append("inline")
    return name, number, type_name, ref, flags


def main():
    binary = open(sys.argv[1], "rb").read()
    messages = collect(binary)
    tags = json_tags(binary)
    order, seen, queue = [], set(), list(ROOTS)
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        if name not in messages:
            raise SystemExit(f"{name} is not in {sys.argv[1]}")
        seen.add(name)
        order.append(name)
        if name in RENDER:
            continue
        for _, field in ((n, fields(f)) for n, f in messages[name] if n == 2):
            _, _, type_name, ref, _ = describe(field, messages, tags)
            if type_name in ("message", "map") and ref in messages:
                queue.append(ref)

    print("# LiteKube protobuf schema: generated by tools/protobuf-schema/extract_schema.py from the")
    print("# Kubernetes API descriptors (generated.proto) embedded in " + sys.argv[1].rsplit("/", 1)[-1] + ".")
    print("# Do not edit; regenerate with the command in that script.")
    for name in sorted(order):
        render = RENDER.get(name)
        print(f"M {name}" + (f" {render}" if render else ""))
        if render:
            continue
        for _, field in sorted(((n, fields(f)) for n, f in messages[name] if n == 2), key=lambda x: first(x[1], 3)):
            json_name, number, type_name, ref, flags = describe(field, messages, tags)
            print(" ".join(["F", str(number), json_name, type_name] + ([ref] if ref else []) + flags))


if __name__ == "__main__":
    main()
