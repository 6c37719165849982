namespace LiteKube.Host.Membership;

/// <summary>What the cluster API asks of the server it runs in when this node leaves.</summary>
internal interface ILocalNode
{
    /// <summary>Stops the node agent and reports the Node NotReady (reason NodeLeft): after it
    /// has left the datastore this node can no longer write.</summary>
    Task MarkLeftAsync(CancellationToken cancellationToken);

    /// <summary>Stops the server once the answer is sent and wipes its datastore and
    /// credentials, so that the machine can join a cluster again.</summary>
    void StopAndWipe();
}
