package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A notification's text fits a window: lines of at most 90 characters, at most six, words kept whole. */
class FxDialogServiceTest {
    private static final String REASON = "checkpoint.txt: writing /tmp/console-ws-sample/partner-drop/customers-to-acme/"
            + "run-000003/checkpoint.txt failed: java.nio.file.FileSystemException: /tmp/console-ws-sample/partner-"
            + "drop/customers-to-acme/run-000003: Not a directory (gave up after 5 attempts)";

    @Test
    void aLongReasonIsBrokenIntoShortLines() {
        String toast = FxDialogService.toastText(REASON);
        String[] lines = toast.split("\n");
        assertThat(lines).hasSizeBetween(2, FxDialogService.TOAST_LINES);
        assertThat(Arrays.stream(lines).mapToInt(String::length).max().orElseThrow())
                .isLessThanOrEqualTo(FxDialogService.TOAST_LINE + 2);
        assertThat(toast.replace("\n", "").replace(" ", "")).isEqualTo(REASON.replace(" ", ""));
        assertThat(FxDialogService.toastText("orders-to-acme run #1: 2000 rows in 1 chunks"))
                .isEqualTo("orders-to-acme run #1: 2000 rows in 1 chunks");
    }

    @Test
    void aVeryLongReasonEndsAfterSixLines() {
        String toast = FxDialogService.toastText("word ".repeat(200));
        assertThat(toast.split("\n")).hasSize(FxDialogService.TOAST_LINES);
        assertThat(toast).endsWith(" …");
    }
}
