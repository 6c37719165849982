using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class PersistentVolumePrinter : ITablePrinter
{
    public string Kind => "PersistentVolume";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity."),
        new("Access Modes", "string", "accessModes contains all ways the volume can be mounted."),
        new("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
        new("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
        new("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
        new("StorageClass", "string", "StorageClass of the pv"),
        new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
        new("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        Common.Age,
        new("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var pv = new JsonObjectReader(obj);
        var claim = pv.Node("spec.claimRef") is JsonObject ? $"{pv.String("spec.claimRef.namespace")}/{pv.String("spec.claimRef.name")}" : "";
        var phase = pv.Node("metadata.deletionTimestamp") is JsonValue ? "Terminating" : pv.String("status.phase");
        return
        [
            pv.String("metadata.name"),
            pv.String("spec.capacity.storage", "0"),
            AccessModes.Format(pv.Array("spec.accessModes")),
            pv.String("spec.persistentVolumeReclaimPolicy"),
            phase,
            claim,
            AccessModes.StorageClass(pv),
            pv.String("spec.volumeAttributesClassName", "<unset>"),
            pv.String("status.reason"),
            HumanDuration.Age(pv, now),
            pv.String("spec.volumeMode", "<unset>"),
        ];
    }
}
