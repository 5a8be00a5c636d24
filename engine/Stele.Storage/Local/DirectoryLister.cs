using System.IO.Enumeration;

namespace Stele.Storage.Local;

/// <summary>
/// Lists a directory store in S3 order: a depth-first walk that sorts each folder's entries by
/// the keys they stand for (a folder 'a' counts as 'a/', so 'a-b' &lt; 'a/x' &lt; 'a0'), which
/// yields keys in ascending byte-wise order overall without ever sorting the whole tree.
/// </summary>
internal static class DirectoryLister
{
    /// <param name="SortKey">The name as it sorts among keys: a folder sorts as "name/".</param>
    private readonly record struct Entry(string Name, bool IsFolder, long Size, string SortKey);

    public static IEnumerable<ObjectInfo> List(string root, string prefix, string? startAfter)
    {
        // Start in the deepest folder the prefix names in full: nothing outside it can match.
        int lastSlash = prefix.LastIndexOf('/');
        string startFolderKey = lastSlash < 0 ? "" : prefix[..(lastSlash + 1)];
        if (DirectoryLayout.IsReserved(startFolderKey)) return [];
        string startFolder = startFolderKey.Length == 0 ? root : Path.Combine(root, startFolderKey.TrimEnd('/'));
        return Walk(startFolder, startFolderKey, prefix, startAfter);
    }

    private static IEnumerable<ObjectInfo> Walk(string folder, string folderKey, string prefix, string? startAfter)
    {
        foreach (var entry in ReadSorted(folder, isRoot: folderKey.Length == 0))
        {
            string key = folderKey + entry.Name;
            if (entry.IsFolder)
            {
                string subKey = key + "/";
                bool mayMatch = subKey.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(subKey, StringComparison.Ordinal);
                if (!mayMatch) continue;
                // Everything under subKey sorts after startAfter unless startAfter is past the whole folder.
                if (startAfter is not null && KeyOrder.Compare(subKey, startAfter) <= 0 && !startAfter.StartsWith(subKey, StringComparison.Ordinal))
                    continue;
                foreach (var info in Walk(Path.Combine(folder, entry.Name), subKey, prefix, startAfter)) yield return info;
            }
            else
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                if (startAfter is not null && KeyOrder.Compare(key, startAfter) <= 0) continue;
                if (!ObjectKey.IsValid(key)) continue; // a stray file no key could name (e.g. a backslash in it)
                yield return new ObjectInfo(key, entry.Size);
            }
        }
    }

    private static List<Entry> ReadSorted(string folder, bool isRoot)
    {
        var entries = new List<Entry>();
        try
        {
            var enumeration = new FileSystemEnumerable<Entry>(
                folder,
                static (ref FileSystemEntry e) => ToEntry(ref e),
                new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true });
            foreach (var entry in enumeration)
            {
                if (isRoot && entry.IsFolder && entry.Name == DirectoryLayout.ReservedFolder) continue;
                entries.Add(entry);
            }
        }
        catch (DirectoryNotFoundException)
        {
            return entries; // the prefix names a folder that does not exist, or a delete pruned it mid-walk
        }
        entries.Sort(static (a, b) => KeyOrder.Compare(a.SortKey, b.SortKey));
        return entries;
    }

    private static Entry ToEntry(ref FileSystemEntry e)
    {
        var name = e.FileName.ToString();
        return e.IsDirectory ? new Entry(name, true, 0, name + "/") : new Entry(name, false, e.Length, name);
    }
}
