using System.Buffers.Binary;
using System.Globalization;
using Stele.Crypto.Ed25519;
using Stele.Tlog.Notes;

namespace Stele.Tlog.Checkpoints;

/// <summary>A verified witness cosignature: who, and when (the witness's claimed time).</summary>
public sealed record Cosignature(CosignerKey Cosigner, DateTimeOffset Timestamp);

/// <summary>
/// C2SP tlog-cosignature v1 (Ed25519, type 0x04): the witness signs
/// <c>"cosignature/v1\ntime &lt;unix seconds&gt;\n" || checkpoint text</c> and the note signature is
/// <c>key ID || timestamp:u64 big-endian || Ed25519 signature</c>.
/// </summary>
public static class Cosignatures
{
    private const int SignatureLength = 8 + Ed25519Signature.Length;

    /// <summary>
    /// The cosignatures on <paramref name="checkpoint"/> by <paramref name="cosigners"/>. Signatures by
    /// other keys are ignored; a malformed or invalid one by a listed cosigner throws
    /// <see cref="NoteVerificationException"/>.
    /// </summary>
    public static IReadOnlyList<Cosignature> Verify(VerifiedCheckpoint checkpoint, IEnumerable<CosignerKey> cosigners)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(cosigners);
        var byId = cosigners.ToDictionary(c => (c.Name, c.KeyId));
        var found = new List<Cosignature>();
        foreach (var signature in checkpoint.Note.OtherSignatures)
        {
            if (!byId.TryGetValue((signature.KeyName, signature.KeyId), out var cosigner)) continue;
            var bytes = signature.Signature.Span;
            if (bytes.Length != SignatureLength)
                throw new NoteVerificationException($"The cosignature by {cosigner.Name} is {bytes.Length} bytes, not {SignatureLength}.");
            var timestamp = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            if (timestamp > long.MaxValue)
                throw new NoteVerificationException($"The cosignature by {cosigner.Name} has a timestamp beyond 2^63-1.");
            var message = SignedMessage(checkpoint.Note.Text, timestamp);
            if (!cosigner.PublicKey.Verify(message, Ed25519Signature.FromBytes(bytes[8..])))
                throw new NoteVerificationException($"The cosignature by {cosigner.Name} is invalid.");
            if (found.All(f => !f.Cosigner.Equals(cosigner)))
                found.Add(new Cosignature(cosigner, DateTimeOffset.FromUnixTimeSeconds(Math.Min((long)timestamp, DateTimeOffset.MaxValue.ToUnixTimeSeconds()))));
        }
        return found;
    }

    /// <summary>Signs a cosignature line for <paramref name="checkpointText"/> (what a witness does).</summary>
    public static NoteSignature Sign(string name, Ed25519SecretKey witnessKey, string checkpointText, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(witnessKey);
        var cosigner = CosignerKey.Create(name, witnessKey.PublicKey);
        var seconds = time.ToUnixTimeSeconds();
        if (seconds < 0) throw new ArgumentOutOfRangeException(nameof(time), "A cosignature time is not before 1970.");
        var signature = new byte[SignatureLength];
        BinaryPrimitives.WriteUInt64BigEndian(signature, (ulong)seconds);
        witnessKey.Sign(SignedMessage(checkpointText, (ulong)seconds), signature.AsSpan(8));
        return new NoteSignature(cosigner.Name, cosigner.KeyId, signature);
    }

    private static byte[] SignedMessage(string checkpointText, ulong timestamp) =>
        NoteFormat.StrictUtf8.GetBytes($"cosignature/v1\ntime {timestamp.ToString(CultureInfo.InvariantCulture)}\n{checkpointText}");
}
