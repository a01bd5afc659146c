package dev.exportdesk.store;

/** How a kept notification was shown: as an information, a warning or an error. */
public enum NotificationSeverity { INFO, WARNING, ERROR }
