using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Tlog.Tests")]
