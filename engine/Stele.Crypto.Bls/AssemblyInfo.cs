using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Crypto.Bls.Tests")]
// The benchmark command builds large fixtures (65,536 signers) with internal shortcuts; see BenchmarkFixtures.
[assembly: InternalsVisibleTo("stele")]

// Field arithmetic keeps many 64-bit temporaries on the stack; zero-initialising them on every call
// cost more than the multiplications. Every local here is written before it is read.
[module: SkipLocalsInit]
