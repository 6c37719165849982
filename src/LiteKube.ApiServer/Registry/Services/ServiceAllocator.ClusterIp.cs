using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>Cluster IPs and IP families (upstream's initIPFamilyFields and allocClusterIPs,
/// for a single-stack cluster).</summary>
public sealed partial class ServiceAllocator
{
    private static readonly string[] Policies = ["SingleStack", "PreferDualStack", "RequireDualStack"];

    /// <param name="oldSpec">The stored spec when the Service already had a cluster IP (null on
    /// create and when it was an ExternalName).</param>
    private void AssignClusterIp(JsonObject? oldSpec, JsonObject spec, ServiceHoldings taken, Random random, List<FieldError> errors)
    {
        var clusterIp = Str(spec["clusterIP"]) ?? "";
        var clusterIps = Strings(spec["clusterIPs"]);
        if (clusterIp != "" && clusterIps.Count == 0)
        {
            clusterIps = [clusterIp];
        }

        if (clusterIps.Count > 0 && clusterIps[0] != clusterIp)
        {
            errors.Add(new FieldError("spec.clusterIPs", "Invalid value", $"[{string.Join(",", clusterIps)}]: first value must match `clusterIP`"));
            return;
        }

        var headless = clusterIp == "None";
        var selectorless = spec["selector"] is not JsonObject { Count: > 0 };
        var policy = Str(spec["ipFamilyPolicy"])
            ?? (oldSpec is not null ? Str(oldSpec["ipFamilyPolicy"]) : null)
            ?? (headless && selectorless ? "RequireDualStack" : "SingleStack");
        var families = Strings(spec["ipFamilies"]);
        if (!CheckFamilies(policy, families, clusterIps, headless && selectorless, errors))
        {
            return;
        }

        spec["ipFamilyPolicy"] = policy;
        if (families.Count == 0)
        {
            families = [_range.FamilyName];
        }

        if (headless)
        {
            if (selectorless && policy != "SingleStack" && families.Count < 2)
            {
                // Upstream's one dual-stack exception on a single-stack cluster: headless and
                // selectorless services list both families (their endpoints are managed by hand).
                families.Add(families[0] == "IPv4" ? "IPv6" : "IPv4");
            }

            spec["ipFamilies"] = Array(families);
            spec["clusterIPs"] = Array(["None"]);
            if (oldSpec is not null && Str(oldSpec["clusterIP"]) is { } was && was != "None")
            {
                errors.Add(new FieldError("spec.clusterIPs[0]", "Invalid value", "\"None\": may not change once set"));
            }

            return;
        }

        spec["ipFamilies"] = Array(families);
        var oldIp = oldSpec is null ? null : Str(oldSpec["clusterIP"]);
        if (!string.IsNullOrEmpty(oldIp))
        {
            // A cluster IP never changes; PatchAllocatedValues filled it in if the client left it out.
            if (clusterIp != oldIp)
            {
                errors.Add(new FieldError("spec.clusterIPs[0]", "Invalid value", $"\"{clusterIp}\": may not change once set"));
            }

            spec["clusterIPs"] = Array([oldIp]);
            return;
        }

        var allocated = clusterIp == "" ? PickIp(taken, random) : RequestedIp(clusterIp, taken, errors);
        if (allocated is not null)
        {
            spec["clusterIP"] = allocated;
            spec["clusterIPs"] = Array([allocated]);
        }
    }

    private bool CheckFamilies(string policy, List<string> families, List<string> clusterIps, bool headlessSelectorless, List<FieldError> errors)
    {
        var before = errors.Count;
        if (!Policies.Contains(policy))
        {
            errors.Add(new FieldError("spec.ipFamilyPolicy", "Unsupported value", $"\"{policy}\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\""));
            return false;
        }

        for (var i = 0; i < families.Count; i++)
        {
            if (families[i] is not ("IPv4" or "IPv6"))
            {
                errors.Add(new FieldError($"spec.ipFamilies[{i}]", "Unsupported value", $"\"{families[i]}\": supported values: \"IPv4\", \"IPv6\""));
            }
            else if (families.IndexOf(families[i]) != i)
            {
                errors.Add(new FieldError($"spec.ipFamilies[{i}]", "Duplicate value", $"\"{families[i]}\""));
            }
        }

        if (families.Count > 2 || clusterIps.Count > 2)
        {
            errors.Add(new FieldError(families.Count > 2 ? "spec.ipFamilies" : "spec.clusterIPs", "Invalid value", "may specify no more than two values"));
        }

        if (policy == "SingleStack" && (families.Count == 2 || clusterIps.Count == 2))
        {
            errors.Add(new FieldError("spec.ipFamilyPolicy", "Invalid value",
                $"\"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple {(clusterIps.Count == 2 ? "cluster IPs" : "IP families")} are specified"));
        }

        if (errors.Count > before || headlessSelectorless)
        {
            return errors.Count == before;
        }

        if (policy == "RequireDualStack")
        {
            errors.Add(new FieldError("spec.ipFamilyPolicy", "Invalid value", "\"RequireDualStack\": this cluster is not configured for dual-stack services"));
        }

        for (var i = 0; i < families.Count; i++)
        {
            if (families[i] != _range.FamilyName)
            {
                errors.Add(new FieldError($"spec.ipFamilies[{i}]", "Invalid value", $"\"{families[i]}\": not configured on this cluster"));
            }
        }

        for (var i = 1; i < clusterIps.Count; i++)
        {
            errors.Add(new FieldError($"spec.clusterIPs[{i}]", "Invalid value", $"\"{clusterIps[i]}\": this cluster is not configured for dual-stack services"));
        }

        return errors.Count == before;
    }

    private string? RequestedIp(string requested, ServiceHoldings taken, List<FieldError> errors)
    {
        const string Field = "spec.clusterIPs";
        if (!IPAddress.TryParse(requested, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.ToString() != requested))
        {
            errors.Add(new FieldError(Field + "[0]", "Invalid value", $"\"{requested}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            return null;
        }

        var canonical = address.ToString();
        if (_range.OffsetOf(address) is null)
        {
            errors.Add(new FieldError(Field, "Invalid value",
                $"[\"{requested}\"]: failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {_range.Cidr}"));
            return null;
        }

        if (taken.Ips.Contains(canonical))
        {
            errors.Add(new FieldError(Field, "Invalid value", $"[\"{requested}\"]: failed to allocate IP {requested}: provided IP is already allocated"));
            return null;
        }

        return canonical;
    }

    private string PickIp(ServiceHoldings taken, Random random)
    {
        var offset = FreeSlot.Pick(1, _range.Size, _range.StaticBand, o => taken.Ips.Contains(_range.At(o).ToString()), random)
            ?? throw Exhausted("serviceIP");
        return _range.At(offset).ToString();
    }
}
