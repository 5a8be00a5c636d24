using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Crypto.Blake3.Tests")]
