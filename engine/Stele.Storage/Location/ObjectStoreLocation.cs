namespace Stele.Storage;

/// <summary>
/// Where an object store lives, as written on a command line or in a config file:
/// <c>file:///abs/path</c>, <c>file://relative/path</c> (from the current directory) or
/// <c>s3://bucket/prefix</c>. Parse with <see cref="Parse"/>; open with <see cref="ObjectStores.Open"/>.
/// </summary>
public abstract record ObjectStoreLocation
{
    private const string FileScheme = "file://";
    private const string S3Scheme = "s3://";
    private const string Expected = "expected file:///absolute/path, file://relative/path or s3://bucket/prefix";

    private protected ObjectStoreLocation() { }

    /// <summary>Parses a location; throws <see cref="FormatException"/> with a one-line reason when it is not one.</summary>
    public static ObjectStoreLocation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(FileScheme, StringComparison.OrdinalIgnoreCase)) return ParseFile(text, text[FileScheme.Length..]);
        if (text.StartsWith(S3Scheme, StringComparison.OrdinalIgnoreCase)) return ParseS3(text, text[S3Scheme.Length..]);
        throw new FormatException($"Unsupported object store location '{text}': {Expected}.");
    }

    /// <summary>Like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string text, out ObjectStoreLocation? location)
    {
        try
        {
            location = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            location = null;
            return false;
        }
    }

    private static DirectoryLocation ParseFile(string text, string path)
    {
        if (path.Length == 0) throw new FormatException($"Object store location '{text}' has no path: {Expected}.");
        if (path.Contains('?') || path.Contains('#'))
            throw new FormatException($"Object store location '{text}' has a query or fragment; a directory path has neither.");
        if (path.Any(char.IsControl)) throw new FormatException($"Object store location '{text}' contains a control character.");
        // file:///abs → "/abs" is already absolute; file://rel → "rel" resolves against the current directory.
        return new DirectoryLocation(Path.GetFullPath(path));
    }

    private static S3Location ParseS3(string text, string rest)
    {
        int slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/');
        if (BucketProblem(bucket) is { } problem) throw new FormatException($"Object store location '{text}': bucket {problem}.");
        try
        {
            if (prefix.Length > 0) ObjectKey.Validate(prefix);
        }
        catch (InvalidObjectKeyException e)
        {
            throw new FormatException($"Object store location '{text}': the prefix is not a valid key path. {e.Message}", e);
        }
        return new S3Location(bucket, prefix);
    }

    /// <summary>S3's bucket naming rules, in brief: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit.</summary>
    private static string? BucketProblem(string bucket)
    {
        if (bucket.Length == 0) return "name is missing";
        if (bucket.Length is < 3 or > 63) return $"name '{bucket}' must be 3 to 63 characters long";
        foreach (var c in bucket)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-'))
                return $"name '{bucket}' may contain only lowercase letters, digits, '.' and '-'";
        }
        if (!char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
            return $"name '{bucket}' must start and end with a letter or digit";
        if (bucket.Contains("..", StringComparison.Ordinal)) return $"name '{bucket}' must not contain '..'";
        return null;
    }
}

/// <summary>A folder on a local filesystem, as an absolute path.</summary>
public sealed record DirectoryLocation(string FullPath) : ObjectStoreLocation
{
    public override string ToString() => "file://" + FullPath.Replace('\\', '/');
}

/// <summary>A bucket and a key prefix inside it (no leading or trailing '/'; empty for the whole bucket).</summary>
public sealed record S3Location(string Bucket, string Prefix) : ObjectStoreLocation
{
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";
}
