using System.Collections;

namespace Stele.Tlog.Notes;

/// <summary>The set of note keys a reader trusts, looked up by (name, key ID).</summary>
public sealed class NoteVerifiers : IReadOnlyCollection<NoteVerifierKey>
{
    private readonly Dictionary<(string Name, uint KeyId), NoteVerifierKey> _keys = [];

    public NoteVerifiers(params IEnumerable<NoteVerifierKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (_keys.TryGetValue((key.Name, key.KeyId), out var existing) && !existing.Equals(key))
                throw new ArgumentException($"Two different trusted keys share the name '{key.Name}' and key ID {NoteFormat.KeyIdHex(key.KeyId)}.", nameof(keys));
            _keys[(key.Name, key.KeyId)] = key;
        }
    }

    public int Count => _keys.Count;

    public NoteVerifierKey? Find(string name, uint keyId) => _keys.GetValueOrDefault((name, keyId));

    public IEnumerator<NoteVerifierKey> GetEnumerator() => _keys.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
