using Stele.Cli.Configuration;

namespace Stele.Cli.Tests;

public sealed class SettingsTests : IDisposable
{
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
}
