using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Crypto.Blake3.Tests")]

// Hot paths stackalloc scratch they always overwrite; zeroing it first is pure cost.
[module: SkipLocalsInit]
