package dev.exportdesk.alert;

/** Bad alert configuration or an alert that could not be sent; the message names the field or endpoint. */
public class AlertException extends RuntimeException {
    public AlertException(String message) {
        super(message);
    }

    public AlertException(String message, Throwable cause) {
        super(message, cause);
    }
}
