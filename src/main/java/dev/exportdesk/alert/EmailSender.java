package dev.exportdesk.alert;

import dev.exportdesk.store.AlertSmtpRepository;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends one alert as plain-text e-mail through the administrators' SMTP server (Jakarta Mail). Every
 * header value is a validated name or address; a line break in any of them is refused outright, so
 * no value can start a header of its own.
 */
final class EmailSender {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int IO_TIMEOUT_MILLIS = 10_000;

    void send(AlertSmtpRepository.Settings smtp, String password, List<String> to, String subject, String text) {
        Properties p = new Properties();
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", Integer.toString(smtp.port()));
        p.put("mail.smtp.connectiontimeout", Integer.toString(CONNECT_TIMEOUT_MILLIS));
        p.put("mail.smtp.timeout", Integer.toString(IO_TIMEOUT_MILLIS));
        p.put("mail.smtp.writetimeout", Integer.toString(IO_TIMEOUT_MILLIS));
        p.put("mail.smtp.auth", Boolean.toString(smtp.username() != null));
        SmtpSettings.Security security = SmtpSettings.Security.valueOf(smtp.security());
        if (security == SmtpSettings.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        } else if (security == SmtpSettings.Security.TLS) {
            p.put("mail.smtp.ssl.enable", "true");
        }
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        Session session = Session.getInstance(p);
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(address(smtp.sender()));
            InternetAddress[] recipients = new InternetAddress[to.size()];
            for (int i = 0; i < to.size(); i++) {
                recipients[i] = address(to.get(i));
            }
            m.setRecipients(Message.RecipientType.TO, recipients);
            m.setSubject(oneLine(subject), StandardCharsets.UTF_8.name());
            m.setSentDate(new Date());
            m.setText(text, StandardCharsets.UTF_8.name());
            if (smtp.username() != null) {
                Transport.send(m, smtp.username(), password);
            } else {
                Transport.send(m);
            }
        } catch (MessagingException e) {
            throw new AlertException("e-mail through " + smtp.host() + ":" + smtp.port() + ": " + e.getMessage(), e);
        }
    }

    private static InternetAddress address(String a) throws AddressException {
        InternetAddress parsed = new InternetAddress(oneLine(a), true);
        parsed.validate();
        return parsed;
    }

    private static String oneLine(String s) {
        if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
            throw new AlertException("refused: a line break in an e-mail header value");
        }
        return s;
    }
}
