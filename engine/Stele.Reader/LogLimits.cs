namespace Stele.Reader;

/// <summary>Upper bounds on the size of small published files, so a hostile source cannot exhaust memory.</summary>
internal static class LogLimits
{
    public const long MaxTileBytes = 256 * 32;
    public const long MaxBundleBytes = 256 * (2 + 65_535);
    public const long MaxPayloadFileBytes = 32 + 256 * (1 + 32 + 4 + 65_536);
    public const long MaxCertificateBytes = 64 + 4 + 8 * 65_536 + 96 + 4 + 80 * 65_536;
    public const long MaxCheckpointBytes = 64 * 1024;
}
