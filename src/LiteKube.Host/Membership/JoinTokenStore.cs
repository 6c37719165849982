using System.Text;
using System.Text.Json;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore;

namespace LiteKube.Host.Membership;

/// <summary>
/// Join tokens in the datastore, under <c>/litekube/join-tokens/&lt;sha256&gt;</c>, so that every
/// server can check a token any server made. Only the hash is stored. A token's record carries
/// a lease that outlives its expiry by a minute, so expired tokens disappear on their own.
/// </summary>
/// <remarks>Every change is a transaction on the record's mod revision: of two joins racing
/// with one one-time token, exactly one reserves it. A reservation holds the token while the
/// join it admitted runs; the join then consumes it (success) or releases it (failure), and a
/// join that dies holding it lets the reservation run out: a failed join never burns a token.</remarks>
internal sealed class JoinTokenStore(IKeyValueStore store, TimeProvider time)
{
    public const string Prefix = "/litekube/join-tokens/";

    /// <summary>How long a join may hold a one-time token before another may use it.</summary>
    public static readonly TimeSpan ReservationTime = TimeSpan.FromMinutes(2);

    /// <summary>A reserved token: the record as reserved and the revision to compare against.</summary>
    public sealed record Reservation(JoinTokenRecord Record, long ModRevision);

    /// <summary>Makes and stores a new token; returns the secret (shown once, never stored).</summary>
    public async Task<(string Token, JoinTokenRecord Record)> CreateAsync(JoinRole role, TimeSpan ttl, bool reusable, CancellationToken cancellationToken)
    {
        var token = JoinToken.Generate();
        var record = new JoinTokenRecord(JoinToken.Hash(token), role, time.GetUtcNow() + ttl, reusable);
        var lease = await store.LeaseGrantAsync(0, (long)Math.Ceiling(ttl.TotalSeconds) + 60, cancellationToken).ConfigureAwait(false);
        await store.PutAsync(new PutRequest(Key(record.Hash), Encode(record)) { Lease = lease.Id }, cancellationToken).ConfigureAwait(false);
        return (token, record);
    }

    /// <summary>Checks <paramref name="token"/> for <paramref name="role"/> and, when it may be
    /// used, reserves it. Returns the verdict and, when accepted, the reservation.</summary>
    public async Task<(JoinTokenVerdict Verdict, Reservation? Reservation)> ReserveAsync(string token, JoinRole role, CancellationToken cancellationToken)
    {
        var key = Key(JoinToken.Hash(token));
        var current = (await store.RangeAsync(new RangeRequest(key), cancellationToken).ConfigureAwait(false)).Kvs.SingleOrDefault();
        var record = current is null ? null : Decode(current.Value);
        var now = time.GetUtcNow();
        var verdict = JoinTokenPolicy.Check(record, role, now);
        if (verdict != JoinTokenVerdict.Accepted)
        {
            return (verdict, null);
        }

        if (record!.Reusable)
        {
            return (verdict, new Reservation(record, current!.ModRevision)); // shared by design: nothing to hold
        }

        var reserved = record with { ReservedUntil = now + ReservationTime };
        var result = await store.TxnAsync(new TxnRequest(
            [new Compare(key, CompareTarget.Mod, CompareResult.Equal) { Number = current!.ModRevision }],
            [new TxnPutOp(new PutRequest(key, Encode(reserved)) { IgnoreLease = true })],
            []), cancellationToken).ConfigureAwait(false);
        // Lost the race: another join changed the record between our read and write.
        return result.Succeeded ? (verdict, new Reservation(reserved, result.Revision)) : (JoinTokenVerdict.InUse, null);
    }

    /// <summary>The join succeeded: a one-time token is deleted; a reusable one stays until it expires.</summary>
    public Task ConsumeAsync(Reservation reservation, CancellationToken cancellationToken) =>
        UpdateAsync(reservation, new TxnDeleteOp(new DeleteRangeRequest(Key(reservation.Record.Hash))), cancellationToken);

    /// <summary>The join failed after the token was checked: the token may be used again.</summary>
    public Task ReleaseAsync(Reservation reservation, CancellationToken cancellationToken) =>
        UpdateAsync(reservation, new TxnPutOp(new PutRequest(Key(reservation.Record.Hash), Encode(reservation.Record with { ReservedUntil = null })) { IgnoreLease = true }),
            cancellationToken);

    private async Task UpdateAsync(Reservation reservation, TxnOp op, CancellationToken cancellationToken)
    {
        if (reservation.Record.Reusable)
        {
            return;
        }

        var key = Key(reservation.Record.Hash);
        await store.TxnAsync(new TxnRequest(
            [new Compare(key, CompareTarget.Mod, CompareResult.Equal) { Number = reservation.ModRevision }], [op], []), cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Key(string hash) => Encoding.UTF8.GetBytes(Prefix + hash);

    private static byte[] Encode(JoinTokenRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, ClusterApiJson.Default.JoinTokenRecord);

    private static JoinTokenRecord? Decode(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, ClusterApiJson.Default.JoinTokenRecord);
        }
        catch (JsonException)
        {
            return null; // an unreadable record admits nobody
        }
    }
}
