using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Domain.Tests")]
