namespace PayByLink.Core.Reporting;

/// <summary>What a merchant's daily figures count: each request once a day at each step, and each payment's amount once.</summary>
public enum StatsStep
{
    SentSms,
    SentEmail,
    Delivered,
    Opened,
    Paid,

    /// <summary>Money taken: every payment, an instalment as much as a payment in full, by currency.</summary>
    Collected,
}
