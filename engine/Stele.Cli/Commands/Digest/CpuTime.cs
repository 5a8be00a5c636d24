using System.Runtime.InteropServices;

namespace Stele.Cli.Commands.Digest;

/// <summary>
/// CPU seconds used, from getrusage(2). On a shared machine, wall time mostly measures the
/// scheduler; CPU time measures the work, for this process, this thread, or waited-for children.
/// </summary>
internal static partial class CpuTime
{
    private const int Self = 0;
    private const int Children = -1;
    private const int Thread = 1;

    public static bool IsAvailable => OperatingSystem.IsLinux();

    public static double ThisThread() => Seconds(Thread);

    public static double ThisProcess() => Seconds(Self);

    /// <summary>CPU used by child processes that have exited and been waited for.</summary>
    public static double ExitedChildren() => Seconds(Children);

    private static double Seconds(int who)
    {
        if (!IsAvailable) return double.NaN;
        if (GetRUsage(who, out var usage) != 0) return double.NaN;
        return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        private readonly RestOfRUsage _rest;
    }

    [System.Runtime.CompilerServices.InlineArray(14)]
    private struct RestOfRUsage
    {
        private long _element;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsage(int who, out RUsage usage);
}
