package dev.exportdesk.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Set;

/** A contract's {@code retention} object, in and out. */
final class RetentionCodec {
    /** Shorter than a day is a typo more often than a policy; the partner needs time to fetch a run. */
    static final Duration MIN_DELIVERED = Duration.ofDays(1);
    static final Duration MIN_LOCAL = Duration.ofHours(1);
    static final Duration MAX = Duration.ofDays(36_600);

    private RetentionCodec() {
    }

    static RetentionPolicy read(JsonFields f) {
        JsonFields r = f.object("retention", false);
        if (r == null) {
            return RetentionPolicy.KEEP_FOREVER;
        }
        r.rejectUnknown(Set.of("delivered", "retained_copies", "staging"));
        return new RetentionPolicy(r.duration("delivered", null, MIN_DELIVERED, MAX),
                r.duration("retained_copies", null, MIN_LOCAL, MAX), r.duration("staging", null, MIN_LOCAL, MAX));
    }

    static void write(ObjectNode root, RetentionPolicy policy) {
        if (policy.keepsForever()) { // absent, so contracts without retention keep their canonical text
            return;
        }
        ObjectNode r = root.putObject("retention");
        policy.deliveredAge().ifPresent(d -> r.put("delivered", DurationText.format(d)));
        policy.retainedCopiesAge().ifPresent(d -> r.put("retained_copies", DurationText.format(d)));
        policy.stagingAge().ifPresent(d -> r.put("staging", DurationText.format(d)));
    }
}
