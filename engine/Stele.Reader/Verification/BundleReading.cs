using Stele.Domain;
using Stele.Domain.Records;
using Stele.Tlog;
using Stele.Tlog.Tiles;

namespace Stele.Reader.Verification;

/// <summary>An entry bundle read for checking: every record's RFC 6962 leaf hash, and the parsed records.</summary>
internal sealed record BundleReading(Hash[]? LeafHashes, LeafRecord[]? Records, string? SplitProblem, ulong? MalformedLeaf, string? MalformedProblem)
{
    /// <summary>Splits <paramref name="bundle"/> into <paramref name="width"/> entries; hashes all of them, parses until one is malformed.</summary>
    public static BundleReading Read(byte[] bundle, int width, ulong firstLeaf)
    {
        var entries = EntryBundle.Split(bundle, width, out var splitProblem);
        if (splitProblem is not null) return new BundleReading(null, null, splitProblem, null, null);
        var hashes = new Hash[width];
        for (var i = 0; i < width; i++) hashes[i] = Rfc6962.HashLeaf(bundle.AsSpan(entries[i].Offset, entries[i].Length));
        var records = new LeafRecord[width];
        for (var i = 0; i < width; i++)
        {
            try
            {
                records[i] = LeafRecord.Parse(bundle.AsSpan(entries[i].Offset, entries[i].Length));
            }
            catch (LogFormatException e)
            {
                return new BundleReading(hashes, null, null, firstLeaf + (ulong)i, $"malformed leaf record: {e.Message}");
            }
        }
        return new BundleReading(hashes, records, null, null, null);
    }
}
