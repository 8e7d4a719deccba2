namespace PayByLink.Testing.InMemory;

/// <summary>
/// Rows by key, each with a version that changes on every write, as Table Storage's ETags do: an add fails when the
/// key is taken, a conditional replace when the row moved on or is gone, and a transaction writes all of its rows or
/// none. Safe for concurrent callers.
/// </summary>
public sealed class VersionedRows<TKey, TValue> where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, (TValue Value, string Version)> _rows = [];
    private long _nextVersion;

    public (TValue Value, string Version)? Find(TKey key)
    {
        lock (_gate)
        {
            return _rows.TryGetValue(key, out var row) ? row : null;
        }
    }

    public IReadOnlyList<(TKey Key, TValue Value, string Version)> Where(Func<TKey, bool> keys)
    {
        lock (_gate)
        {
            return _rows.Where(r => keys(r.Key)).Select(r => (r.Key, r.Value.Value, r.Value.Version)).ToList();
        }
    }

    /// <summary>Adds the row (<paramref name="version"/> null) or replaces it at <paramref name="version"/>; its new version, or null.</summary>
    public string? TryWrite(TKey key, TValue value, string? version) => TryWriteAll([(key, value, version)])?[0];

    /// <summary>Writes every row, each only if it is still at its version (null: not there yet), or none of them.</summary>
    public IReadOnlyList<string>? TryWriteAll(IReadOnlyList<(TKey Key, TValue Value, string? Version)> writes)
    {
        lock (_gate)
        {
            foreach (var (key, _, version) in writes)
            {
                var exists = _rows.TryGetValue(key, out var current);
                if (version is null ? exists : !exists || current.Version != version)
                {
                    return null;
                }
            }

            var versions = new List<string>();
            foreach (var (key, value, _) in writes)
            {
                var written = $"v{++_nextVersion}";
                _rows[key] = (value, written);
                versions.Add(written);
            }

            return versions;
        }
    }

    /// <summary>Writes the row whatever is there.</summary>
    public void Upsert(TKey key, TValue value)
    {
        lock (_gate)
        {
            _rows[key] = (value, $"v{++_nextVersion}");
        }
    }

    public bool Remove(TKey key)
    {
        lock (_gate)
        {
            return _rows.Remove(key);
        }
    }
}
