using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Crypto.Bls.Tests")]
