namespace Stele.Testing;

/// <summary>
/// The real servers that ops/test starts for integration tests. A missing setting is a
/// hard failure, never a skip: run the suite through ops/test.
/// </summary>
public static class TestServers
{
    /// <summary>Connection string of a throwaway PostgreSQL cluster (superuser, trust auth).</summary>
    public static string PostgresConnectionString => Require("STELE_TEST_PG");

    /// <summary>The log file of that PostgreSQL server (its stderr, as pg_ctl -l writes it).</summary>
    public static string PostgresLogFile => Require("STELE_TEST_PG_LOG");

    /// <summary>HTTP endpoint of the s3rver instance, e.g. http://127.0.0.1:45123.</summary>
    public static string S3Endpoint => Require("STELE_TEST_S3_ENDPOINT");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: integration tests need the servers that ops/test starts (run ops/test).");
}
