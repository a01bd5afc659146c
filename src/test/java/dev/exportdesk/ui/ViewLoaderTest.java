package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.ui.audit.AuditView;
import dev.exportdesk.ui.contracts.ContractEditorView;
import dev.exportdesk.ui.contracts.ContractHistoryView;
import dev.exportdesk.ui.contracts.ContractsView;
import dev.exportdesk.ui.dashboard.DashboardView;
import dev.exportdesk.ui.login.LoginView;
import dev.exportdesk.ui.runs.ExportsView;
import dev.exportdesk.ui.runs.RunDetailView;
import dev.exportdesk.ui.shell.ShellView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every view finds its FXML by name in the mirrored path. */
class ViewLoaderTest {
    @Test
    void mapsViewClassesToFxmlByName() {
        assertThat(ViewLoader.fxmlPath(RunDetailView.class)).isEqualTo("/fxml/dev/exportdesk/ui/runs/RunDetail.fxml");
        for (Class<?> view : List.of(ShellView.class, LoginView.class, ContractsView.class, ContractEditorView.class,
                ContractHistoryView.class, ExportsView.class, RunDetailView.class, DashboardView.class,
                AuditView.class)) {
            assertThat(view.getResource(ViewLoader.fxmlPath(view))).as(view.getSimpleName()).isNotNull();
        }
        assertThatThrownBy(() -> ViewLoader.fxmlPath(String.class)).hasMessageContaining("not named *View");
    }
}
