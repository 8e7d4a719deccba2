using PayByLink.Core.Delivery;
using PayByLink.Core.Limits;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.Http.Pages;

/// <summary>What the customer pages need, gathered once.</summary>
public sealed record PaymentPageServices(PaymentPage Page, RecordPayment Record, PaymentLinks Links, IPaymentGateway Gateway, LinkGuessLimiter Guesses,
    OptOuts OptOuts, IMerchantStore Merchants);
