package dev.exportdesk.alert;

/** How an alert leaves: a signed HTTP POST to the contract's webhook, or e-mail through the administrators' SMTP server. */
public enum Channel {
    WEBHOOK, EMAIL
}
