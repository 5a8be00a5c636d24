using Stele.Cli.Configuration;

namespace Stele.Cli.Tests;

public sealed class SettingsTests : IDisposable
{
    private const string Token = "config-operator-token-0123456789";

    private readonly string _dir = Directory.CreateTempSubdirectory("stele-cli-").FullName;

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
    public void Defaults_apply_when_nothing_is_configured()
    {
        var settings = Resolve(["log", "info"], []);
        Assert.Equal(SteleSettings.DefaultDatabase, settings.Database);
        Assert.Equal(SteleSettings.DefaultStorage, settings.Storage);
        Assert.Equal("us-east-1", settings.S3Region);
        Assert.Null(settings.S3Endpoint);
    }

    [Fact]
    public void Flag_beats_environment_beats_file()
    {
        var config = WriteConfig("""{ "database": "from-file", "storage": "file:///file", "s3": { "region": "file-region" } }""");
        var env = new Dictionary<string, string> { ["STELE_CONFIG"] = config, ["STELE_DATABASE"] = "from-env" };

        var settings = Resolve(["log", "info", "--storage", "s3://flag/prefix"], env);

        Assert.Equal("from-env", settings.Database);          // env beats file
        Assert.Equal("s3://flag/prefix", settings.Storage);   // flag beats file
        Assert.Equal("file-region", settings.S3Region);       // file beats default
        Assert.Equal(config, settings.SourceFile);
    }

    [Fact]
    public void Global_options_are_accepted_after_the_subcommand()
    {
        var settings = Resolve(["log", "info", "--database", "Host=x"], new() { ["STELE_DATABASE"] = "env" });
        Assert.Equal("Host=x", settings.Database);
    }

    [Fact]
    public void Unknown_config_keys_are_an_error_naming_the_file()
    {
        var config = WriteConfig("""{ "databse": "typo" }""");
        var ex = Assert.Throws<CliException>(() => Resolve(["--config", config, "log", "info"], []));
        Assert.Contains(config, ex.Message);
    }

    [Fact]
    public void Missing_config_file_is_an_error()
    {
        var ex = Assert.Throws<CliException>(() => Resolve(["log", "info"], new() { ["STELE_CONFIG"] = Path.Combine(_dir, "nope.json") }));
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void ToString_never_prints_passwords_or_s3_secrets()
    {
        var config = WriteConfig("""{ "s3": { "accessKey": "AKIDEXAMPLE", "secretKey": "wJalrXUtnFEMI-secret" } }""");
        var settings = Resolve(["log", "info", "--config", config, "--database", "Host=h;Password=hunter2;Username=u"], []);

        Assert.Equal("wJalrXUtnFEMI-secret", settings.S3SecretKey);
        var printed = settings.ToString();
        Assert.DoesNotContain("hunter2", printed);
        Assert.DoesNotContain("wJalrXUtnFEMI-secret", printed);
        Assert.Contains("Password=***", printed);
    }

    // logKey and operatorToken in stele.json, below the environment.
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
