namespace PayByLink.Core.Ports;

/// <summary>What one attempt of a <see cref="ConditionalWrite"/> came to: done with a result, or a conflict to read again.</summary>
public readonly record struct WriteAttempt<T>(bool Done, T Value)
{
    public static WriteAttempt<T> Conflict => default;
}

public static class WriteAttempt
{
    public static WriteAttempt<T> Done<T>(T value) => new(true, value);
}
