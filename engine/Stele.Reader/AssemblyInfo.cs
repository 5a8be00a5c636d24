using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Reader.Tests")]
