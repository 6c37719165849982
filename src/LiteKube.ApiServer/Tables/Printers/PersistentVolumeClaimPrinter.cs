using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>PersistentVolumeClaim: CAPACITY and ACCESS MODES come from the bound volume's status,
/// so they stay empty until the claim is bound.</summary>
public sealed class PersistentVolumeClaimPrinter : ITablePrinter
{
    public string Kind => "PersistentVolumeClaim";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
        new("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        new("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
        new("Access Modes", "string", "accessModes contains the actual access modes the volume backing the PVC has."),
        new("StorageClass", "string", "StorageClass of the pvc"),
        new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
        Common.Age,
        new("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var pvc = new JsonObjectReader(obj);
        var volume = pvc.String("spec.volumeName");
        var bound = volume.Length > 0;
        return
        [
            pvc.String("metadata.name"),
            pvc.Node("metadata.deletionTimestamp") is JsonValue ? "Terminating" : pvc.String("status.phase"),
            volume,
            bound ? pvc.String("status.capacity.storage", "0") : "",
            bound ? AccessModes.Format(pvc.Array("status.accessModes")) : "",
            AccessModes.StorageClass(pvc),
            pvc.String("spec.volumeAttributesClassName", "<unset>"),
            HumanDuration.Age(pvc, now),
            pvc.String("spec.volumeMode", "<unset>"),
        ];
    }
}
