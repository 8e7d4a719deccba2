namespace PayByLink.Core.Staff;

/// <summary>What a merchant's staff member may do in the console, each role all the one before it may and more.</summary>
public enum StaffRole
{
    /// <summary>Sees requests, batches and the dashboard; changes nothing.</summary>
    Viewer,

    /// <summary>Sends links, resends and cancels them.</summary>
    Agent,

    /// <summary>An agent who also uploads, confirms and stops batches.</summary>
    Operator,

    /// <summary>Everything: users, keys, webhooks, opt-outs and settings too.</summary>
    Admin,
}
