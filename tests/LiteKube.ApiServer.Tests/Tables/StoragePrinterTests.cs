using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class StoragePrinterTests
{
    [Fact]
    public void Persistent_volume_columns_and_a_bound_volume()
    {
        var printer = new PersistentVolumePrinter();
        Assert.Equal("NAME | CAPACITY | ACCESS MODES | RECLAIM POLICY | STATUS | CLAIM | STORAGECLASS | VOLUMEATTRIBUTESCLASS | REASON | AGE | VOLUMEMODE (wide)", PrinterColumns.Headers(printer));
        var cells = new ObjectBuilder("pv1", TimeSpan.FromDays(1))
            .Set("spec.capacity", """{"storage":"5Gi"}""")
            .Set("spec.accessModes", """["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"]""")
            .Set("spec.persistentVolumeReclaimPolicy", "Retain")
            .Set("spec.claimRef", """{"namespace":"db","name":"data"}""")
            .Set("spec.storageClassName", "local-path")
            .Set("spec.volumeMode", "Filesystem")
            .Set("status.phase", "Bound")
            .PrintWith(printer);
        Assert.Equal(["pv1", "5Gi", "RWO,RWX", "Retain", "Bound", "db/data", "local-path", "<unset>", "", "24h", "Filesystem"], cells);
    }

    [Fact]
    public void A_deleted_volume_is_terminating_and_the_beta_annotation_names_its_class()
    {
        var cells = new ObjectBuilder("pv2")
            .Set("metadata.deletionTimestamp", "2026-11-23T11:00:00Z")
            .Set("metadata.annotations", """{"volume.beta.kubernetes.io/storage-class":"old"}""")
            .Set("spec.storageClassName", "new")
            .Set("status.phase", "Released")
            .PrintWith(new PersistentVolumePrinter());
        Assert.Equal(["pv2", "0", "", "", "Terminating", "", "old", "<unset>", "", "<unknown>", "<unset>"], cells);
    }

    [Fact]
    public void A_claim_shows_capacity_and_modes_only_once_bound()
    {
        var printer = new PersistentVolumeClaimPrinter();
        Assert.Equal("NAME | STATUS | VOLUME | CAPACITY | ACCESS MODES | STORAGECLASS | VOLUMEATTRIBUTESCLASS | AGE | VOLUMEMODE (wide)", PrinterColumns.Headers(printer));
        var pending = new ObjectBuilder("data").Set("spec.resources.requests.storage", "1Gi").Set("spec.accessModes", """["ReadWriteOnce"]""").Set("status.phase", "Pending").PrintWith(printer);
        Assert.Equal(["data", "Pending", "", "", "", "", "<unset>", "<unknown>", "<unset>"], pending);
        var bound = new ObjectBuilder("data")
            .Set("spec.volumeName", "pv1")
            .Set("spec.storageClassName", "local-path")
            .Set("spec.volumeAttributesClassName", "fast")
            .Set("status.phase", "Bound")
            .Set("status.capacity", """{"storage":"2Gi"}""")
            .Set("status.accessModes", """["ReadWriteOncePod","ReadOnlyMany"]""")
            .PrintWith(printer);
        Assert.Equal(["data", "Bound", "pv1", "2Gi", "ROX,RWOP", "local-path", "fast", "<unknown>", "<unset>"], bound);
    }
}
