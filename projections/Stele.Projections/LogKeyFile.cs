namespace Stele.Projections;

/// <summary>
/// Where the log key lives and how it is read and created: a file holding one C2SP signer key,
/// readable by its owner only. Resolution order: --log-key, $STELE_LOG_KEY, config <c>logKey</c>,
/// then <see cref="DefaultPath"/>.
/// </summary>
public static class LogKeyFile
{
    public const string DefaultPath = ".stele/log.key";
    public const string DefaultOrigin = "stele.local/board";
    public const string PathVariable = "STELE_LOG_KEY";
    public const string OriginVariable = "STELE_ORIGIN";

    /// <summary>The first of: the option, $STELE_LOG_KEY, the config value, the default.</summary>
    public static string ResolvePath(string? option, string? configValue = null) =>
        NonEmpty(option) ?? NonEmpty(Environment.GetEnvironmentVariable(PathVariable)) ?? NonEmpty(configValue) ?? DefaultPath;

    /// <summary>The first of: the option, $STELE_ORIGIN, <see cref="DefaultOrigin"/>.</summary>
    public static string ResolveOrigin(string? option) =>
        NonEmpty(option) ?? NonEmpty(Environment.GetEnvironmentVariable(OriginVariable)) ?? DefaultOrigin;

    /// <summary>Reads an existing key file.</summary>
    public static LogKey Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LogKeyException($"cannot read the log key {path}: {ex.Message}");
        }
        try
        {
            return LogKey.FromSignerKey(text);
        }
        catch (LogKeyException ex)
        {
            throw new LogKeyException($"log key {path}: {ex.Message}");
        }
    }

    /// <summary>
    /// Reads the key file, or creates it (owner-only) with a new key named <paramref name="origin"/> when
    /// missing. An existing key whose origin differs from an explicitly requested one is refused.
    /// </summary>
    public static LogKey LoadOrCreate(string path, string origin, out bool created, bool originExplicit = false)
    {
        created = false;
        if (File.Exists(path))
        {
            var existing = Load(path);
            if (originExplicit && existing.Origin.Value != origin)
            {
                existing.Dispose();
                throw new LogKeyException($"the log key {path} is for origin '{existing.Origin}', not '{origin}'");
            }
            return existing;
        }
        var key = LogKey.Generate(origin);
        try
        {
            Write(path, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        created = true;
        return key;
    }

    /// <summary>Writes the key to a new file readable and writable by its owner only; never overwrites.</summary>
    public static void Write(string path, LogKey key)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(key.ExportSignerKey());
            writer.Write('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LogKeyException($"cannot create the log key {path}: {ex.Message}");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
