using Stele.Cli.Configuration;

namespace Stele.Cli.Tests;

/// <summary>The log key path and the operator token from stele.json (logKey, operatorToken), below the environment.</summary>
public sealed class SecretSettingsTests : IDisposable
{
    private const string Token = "config-operator-token-0123456789";

    private readonly string _dir = Directory.CreateTempSubdirectory("stele-cli-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_dir, "stele.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static SteleSettings Resolve(string[] args, Dictionary<string, string> env) =>
        SteleSettings.Resolve(SteleCli.BuildRoot().Parse(args), name => env.GetValueOrDefault(name));

    [Fact]
    public void The_config_file_supplies_the_log_key_relative_to_itself_and_the_operator_token()
    {
        var config = WriteConfig($$"""{ "logKey": "keys/log.key", "operatorToken": "{{Token}}" }""");
        var settings = Resolve(["serve", "--config", config], []);
        Assert.Equal(Path.Combine(_dir, "keys", "log.key"), settings.LogKeyPath);
        Assert.Equal(Token, settings.OperatorToken);
    }

    [Fact]
    public void The_environment_beats_the_config_file_and_nothing_configured_is_null()
    {
        var config = WriteConfig($$"""{ "logKey": "/from/file.key", "operatorToken": "{{Token}}" }""");
        var env = new Dictionary<string, string> { ["STELE_LOG_KEY"] = "/from/env.key", ["STELE_OPERATOR_TOKEN"] = "env-operator-token-abcdefghijkl" };
        var settings = Resolve(["serve", "--config", config], env);
        Assert.Equal("/from/env.key", settings.LogKeyPath);
        Assert.Equal("env-operator-token-abcdefghijkl", settings.OperatorToken);

        var bare = Resolve(["serve"], []);
        Assert.Null(bare.LogKeyPath);
        Assert.Null(bare.OperatorToken);
    }

    [Fact]
    public void The_operator_token_never_prints()
    {
        var config = WriteConfig($$"""{ "operatorToken": "{{Token}}" }""");
        var settings = Resolve(["serve", "--config", config], []);
        Assert.DoesNotContain(Token, settings.ToString());
    }

    [Fact]
    public async Task Register_reads_the_operator_token_from_the_config_file()
    {
        var key = Path.Combine(_dir, "me.key");
        var keygen = await CliProcessTests.RunStele("keygen", "--out", key);
        Assert.True(keygen.ExitCode == 0, keygen.Stderr);

        var without = await CliProcessTests.RunStele("register", key, "--server", "http://127.0.0.1:1", "--wait", "0");
        Assert.NotEqual(0, without.ExitCode);
        Assert.Contains("needs the operator token", without.Stderr);

        var config = WriteConfig($$"""{ "operatorToken": "{{Token}}" }""");
        var with = await CliProcessTests.RunStele("register", key, "--config", config, "--server", "http://127.0.0.1:1", "--wait", "0");
        Assert.NotEqual(0, with.ExitCode);
        Assert.Contains("cannot reach", with.Stderr); // past the token check: it tried the server
        Assert.DoesNotContain(Token, with.Stderr);
    }
}
