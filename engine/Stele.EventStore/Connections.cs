using System.Net.Sockets;
using Npgsql;

namespace Stele.EventStore;

/// <summary>Opens connections, turning "the server is not there" into one clear <see cref="EventStoreUnavailableException"/>.</summary>
internal static class Connections
{
    public static async ValueTask<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unreachable(ex) is { } reason)
        {
            throw new EventStoreUnavailableException(Endpoint(dataSource.ConnectionString), reason, ex);
        }
    }

    public static async ValueTask OpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Unreachable(ex) is { } reason)
        {
            throw new EventStoreUnavailableException(Endpoint(connection.ConnectionString), reason, ex);
        }
    }

    private static string? Unreachable(Exception ex) => ex switch
    {
        NpgsqlException { InnerException: SocketException s } => s.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused (is the server running?)",
            SocketError.HostNotFound => "host not found",
            SocketError.TimedOut => "timed out",
            var code => code.ToString(),
        },
        NpgsqlException { InnerException: TimeoutException } => "timed out",
        SocketException s => s.SocketErrorCode.ToString(),
        _ => null,
    };

    // Host and port only: never echo a password.
    private static string Endpoint(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }
}
