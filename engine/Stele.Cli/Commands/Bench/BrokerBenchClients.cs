using System.Numerics;
using Npgsql;
using Stele.Crypto.Bls;
using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Serialization;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Cli.Commands.Bench;

/// <summary>
/// The simulated clients of `stele bench broker`, with structured BLS secret keys sk_i = a + i·b, so
/// that their shares on one root follow from two signatures: sig_i = sig_a + i·sig_b, one point
/// addition each (plus one batched affine conversion). The broker still receives, decodes, aggregates
/// and verifies every share like any other; only the load generator's signing is cheap.
/// </summary>
internal sealed class BrokerBenchClients : IDisposable
{
    private static readonly BigInteger R = BigInteger.Parse("073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);
    private readonly BlsSecretKey _a, _b;
    private readonly LogOrigin _origin;

    public BrokerBenchClients(LogOrigin origin, int count)
    {
        _origin = origin;
        _a = BlsSecretKey.Generate();
        _b = BlsSecretKey.Generate();
        Ids = new ulong[count];
        Rows = new (ulong, byte[], byte[], byte[])[count];
        var a = Scalar(_a);
        var b = Scalar(_b);
        Parallel.For(0, count, i =>
        {
            var value = (a + i * b) % R;
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[32];
            bytes.CopyTo(padded, 32 - bytes.Length);
            using var bls = BlsSecretKey.FromBytes(padded);
            using var ed = Ed25519SecretKey.Generate();
            var id = ClientId.FromKeys(ed.PublicKey, bls.PublicKey);
            Ids[i] = id.Value;
            Rows[i] = (id.Value, ed.PublicKey.ToArray(), bls.PublicKey.ToBytes(), bls.ProvePossession().ToBytes());
        });
        Index = new Dictionary<ulong, int>(count);
        for (var i = 0; i < count; i++) Index[Ids[i]] = i;
    }

    public ulong[] Ids { get; }
    public Dictionary<ulong, int> Index { get; }
    private (ulong Id, byte[] Ed, byte[] Bls, byte[] Pop)[] Rows { get; }

    /// <summary>
    /// Writes the clients straight into the stele.clients read model (what the fold writes on a
    /// ClientRegistered), so the benchmark does not spend minutes folding registrations. The broker
    /// still verifies every proof of possession when it loads them.
    /// </summary>
    public async Task RegisterAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY stele.clients (client_id, ed25519_public_key, bls_public_key, bls_proof_of_possession, leaf_index, position) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < Rows.Length; i++)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(unchecked((long)Rows[i].Id), NpgsqlTypes.NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync(Rows[i].Ed, NpgsqlTypes.NpgsqlDbType.Bytea, ct);
            await importer.WriteAsync(Rows[i].Bls, NpgsqlTypes.NpgsqlDbType.Bytea, ct);
            await importer.WriteAsync(Rows[i].Pop, NpgsqlTypes.NpgsqlDbType.Bytea, ct);
            await importer.WriteAsync((long)i, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
            await importer.WriteAsync((long)i + 1, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
        }
        await importer.CompleteAsync(ct);
    }

    /// <summary>Every client's uncompressed share over the batch's `distilled` message, 192 bytes each, back to back.</summary>
    public byte[] SharesFor(ReadOnlySpan<byte> root, int count)
    {
        var message = SigningMessages.Distilled(_origin, BatchRoot.FromBytes(root), count);
        var sigA = _a.Sign(message).Point;
        var sigB = _b.Sign(message).Point;
        var n = Ids.Length;
        var points = new Point<Fp2>[n];
        var acc = Point<Fp2>.Identity;
        Curve<Fp2>.AddMixed(acc, sigA.X, sigA.Y, out acc);
        for (var i = 0; i < n; i++)
        {
            points[i] = acc;
            Curve<Fp2>.AddMixed(acc, sigB.X, sigB.Y, out acc);
        }
        var affine = new Affine<Fp2>[n];
        Curve<Fp2>.BatchToAffine(points, affine);
        var shares = new byte[n * BlsSignature.UncompressedLength];
        for (var i = 0; i < n; i++) PointEncoding.EncodeG2(affine[i], false, shares.AsSpan(i * BlsSignature.UncompressedLength, BlsSignature.UncompressedLength));
        return shares;
    }

    private static BigInteger Scalar(BlsSecretKey key)
    {
        Span<byte> bytes = stackalloc byte[32];
        key.ExportBytes(bytes);
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        bytes.Clear();
        return value;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
