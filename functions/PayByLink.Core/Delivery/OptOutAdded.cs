namespace PayByLink.Core.Delivery;

public sealed record OptOutAdded(OptOut OptOut, bool Created);
