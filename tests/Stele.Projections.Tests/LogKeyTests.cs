using Stele.Projections.Tests.Support;
using Stele.Tlog.Notes;

namespace Stele.Projections.Tests;

public sealed class LogKeyTests
{
    [Fact]
    public void A_key_file_is_created_owner_only_and_reloads_to_the_same_verifier()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "keys", "log.key");
        string verifier;
        using (var created = LogKeyFile.LoadOrCreate(path, "board.example/2026", out var wasCreated))
        {
            Assert.True(wasCreated);
            verifier = created.VerifierString;
            Assert.DoesNotContain("PRIVATE", created.ToString());
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("PRIVATE+KEY+board.example/2026+", File.ReadAllText(path));
        using var loaded = LogKeyFile.LoadOrCreate(path, "ignored.example", out var createdAgain);
        Assert.False(createdAgain);
        Assert.Equal(verifier, loaded.VerifierString);
        Assert.Equal("board.example/2026", loaded.Origin.Value);
        Assert.Equal(loaded.Verifier, NoteVerifierKey.Parse(verifier));
        Assert.Throws<LogKeyException>(() => LogKeyFile.LoadOrCreate(path, "other.example", out _, originExplicit: true));
    }

    [Fact]
    public void Unreadable_or_invalid_keys_fail_with_one_clear_line()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "log.key");
        Assert.Contains("cannot read", Assert.Throws<LogKeyException>(() => LogKeyFile.Load(path)).Message);
        File.WriteAllText(path, "garbage");
        Assert.Contains(path, Assert.Throws<LogKeyException>(() => LogKeyFile.Load(path)).Message);
        Assert.Throws<LogKeyException>(() => LogKey.Generate("has space"));
    }
}
