package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Audit screen's ledger at 1024×700 once a run has signed a checkpoint: the captions keep their
 * words ("Led…", "Late…" before), the long checkpoint line gives way.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedgerCaptionsFlowTest extends ConsoleFlowTest {

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 500);
        fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        openConsole(stage, fixture.admin, "AUDIT");
        stage.setWidth(1024);
        stage.setHeight(700);
    }

    @Test
    void ledgerCaptionsKeepTheirWords(FxRobot robot) {
        Label checkpoint = robot.lookup("#checkpointLabel").queryAs(Label.class);
        await(20, "checkpoint read", () -> fxGet(checkpoint::getText).startsWith("tree size"));
        WaitForAsyncUtils.waitForFxEvents();
        GridPane ledger = robot.lookup("#ledgerPane").queryAs(GridPane.class);
        List<String> cut = fxGet(() -> {
            List<String> out = new ArrayList<>();
            for (Node n : ledger.getChildren()) {
                Integer column = GridPane.getColumnIndex(n);
                if (n instanceof Label l && (column == null || column == 0)) {
                    String drawn = ((Text) l.lookup(".text")).getText();
                    if (!drawn.equals(l.getText())) {
                        out.add(l.getText() + " → " + drawn);
                    }
                }
            }
            return out;
        });
        assertThat(cut).as("ledger captions drawn cut at 1024 px").isEmpty();
    }
}
