namespace PayByLink.Core.Domain;

public enum PlanFrequency
{
    Weekly,
    Fortnightly,
    Monthly,
}
