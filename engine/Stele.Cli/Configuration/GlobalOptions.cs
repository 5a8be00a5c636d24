using System.CommandLine;

namespace Stele.Cli.Configuration;

/// <summary>Options every command accepts; values resolve flag → environment → config file → default.</summary>
public static class GlobalOptions
{
    public static readonly Option<FileInfo?> Config = new("--config")
    {
        Description = "JSON config file (default: $STELE_CONFIG, else ./stele.json if present).",
        Recursive = true,
    };

    public static readonly Option<string?> Database = new("--database")
    {
        Description = "PostgreSQL connection string ($STELE_DATABASE).",
        Recursive = true,
    };

    public static readonly Option<string?> Storage = new("--storage")
    {
        Description = "Object storage: file:///path or s3://bucket/prefix ($STELE_STORAGE).",
        Recursive = true,
    };

    public static readonly Option<string?> S3Endpoint = new("--s3-endpoint")
    {
        Description = "S3 API endpoint URL for s3:// storage, e.g. http://127.0.0.1:9000 ($STELE_S3_ENDPOINT).",
        Recursive = true,
    };

    public static readonly Option<string?> S3Region = new("--s3-region")
    {
        Description = "S3 region ($STELE_S3_REGION, default us-east-1).",
        Recursive = true,
    };

    public static void AddTo(Command root)
    {
        root.Options.Add(Config);
        root.Options.Add(Database);
        root.Options.Add(Storage);
        root.Options.Add(S3Endpoint);
        root.Options.Add(S3Region);
    }
}
