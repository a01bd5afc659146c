package dev.exportdesk.ui;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.store.StoreException;
import dev.exportdesk.text.Text;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** Turns exceptions into a sentence a person understands; the stack trace stays available as detail. */
public final class ErrorText {
    private ErrorText() {
    }

    /** Messages quote source errors and partner text: shown without control characters or bidi overrides. */
    public static String summary(Throwable e) {
        return Text.safeMultiline(describe(e));
    }

    private static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof AccessDeniedException a) {
            return "Your role does not allow this. " + a.getMessage() + ".";
        }
        if (t instanceof ContractValidationException v) {
            return "The contract has " + v.errors().size() + " problem" + (v.errors().size() == 1 ? "" : "s")
                    + ": " + String.join("; ", v.errors().stream().map(Object::toString).toList());
        }
        if (t instanceof SourceException) {
            return "The source database could not be read: " + t.getMessage();
        }
        if (t instanceof StoreException) {
            return "The workspace's state store had a problem: " + t.getMessage();
        }
        if (t instanceof TimeoutException) {
            return "No answer in time: " + t.getMessage();
        }
        if (t instanceof CancellationException) {
            return "Cancelled.";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? "Something went wrong (" + t.getClass().getSimpleName() + ")." : m;
    }

    public static String detail(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return Text.safeMultiline(out.toString());
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.lang.reflect
                .InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
