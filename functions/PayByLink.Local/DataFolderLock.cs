namespace PayByLink.Local;

/// <summary>A local runtime is already using the data folder or the Azurite this one would use.</summary>
public sealed class LocalRuntimeInUseException(string message) : Exception(message);

/// <summary>
/// One local runtime per data folder: the runtime holds an exclusive lock on <c>runtime.lock</c> in the folder while it
/// runs (the operating system lets go of it when the process ends, however it ends) and records itself in
/// <c>runtime.json</c> beside it, where the admin commands find the storage it uses.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    private const string LockFile = "runtime.lock";
    private const string OwnerFile = "runtime.json";

    private readonly FileStream _lock;
    private readonly string _folder;

    private DataFolderLock(FileStream lockStream, string folder)
    {
        (_lock, _folder) = (lockStream, folder);
        Previous = ReadOwner(folder);
    }

    /// <summary>The runtime that had the folder before, now stopped (or killed): its Azurite may still be running.</summary>
    public RuntimeOwner? Previous { get; }

    /// <summary>Takes the folder, or says which runtime has it.</summary>
    public static DataFolderLock Acquire(string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            return new DataFolderLock(new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), folder);
        }
        catch (IOException)
        {
            var owner = ReadOwner(folder);
            throw new LocalRuntimeInUseException(
                $"The data folder {folder} is in use by a PayByLink runtime that is still running ({owner?.Describe() ?? "its process is not recorded"}). " +
                $"Stop it, or give this one a folder of its own: --{LocalStorage.DataFolderSetting}=/some/folder");
        }
    }

    /// <summary>The runtime holding the folder now, or null when no runtime is running on it.</summary>
    public static RuntimeOwner? RunningOwner(string folder)
    {
        var path = Path.Combine(folder, LockFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return null;
        }
        catch (IOException)
        {
            return ReadOwner(folder) is { } owner && owner.IsRunning() ? owner : null;
        }
    }

    public void Record(RuntimeOwner owner) => File.WriteAllText(Path.Combine(_folder, OwnerFile), owner.ToJson());

    private static RuntimeOwner? ReadOwner(string folder)
    {
        var path = Path.Combine(folder, OwnerFile);
        return File.Exists(path) ? RuntimeOwner.Parse(File.ReadAllText(path)) : null;
    }

    public void Dispose() => _lock.Dispose();
}
