package dev.exportdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed checkpoints in the C2SP signed-note format with the workspace's Ed25519 key. */
class SignedNoteTest {
    @TempDir
    Path dir;

    @Test
    void aSignedCheckpointOpensWithItsVerifierKeyAndNothingElse() {
        LedgerKeys keys = LedgerKeys.loadOrCreate(dir.resolve("a"));
        LedgerKeys other = LedgerKeys.loadOrCreate(dir.resolve("b"));
        Checkpoint cp = new Checkpoint(keys.origin(), 5, Merkle.root(java.util.List.of(Merkle.leafHash(new byte[] {1}))));
        String note = keys.sign(cp);

        assertThat(note).startsWith(keys.origin() + "\n5\n").contains("\n\n\u2014 " + keys.origin() + " ");
        assertThat(Checkpoint.parse(SignedNote.open(note, keys.verifierKey()))).usingRecursiveComparison()
                .isEqualTo(cp);
        assertThat(LedgerKeys.loadOrCreate(dir.resolve("a")).verifierKey()).as("the key survives a reopen")
                .isEqualTo(keys.verifierKey());

        assertThatThrownBy(() -> SignedNote.open(note.replace("\n5\n", "\n6\n"), keys.verifierKey()))
                .hasMessageContaining("does not verify");
        assertThatThrownBy(() -> SignedNote.open(note, other.verifierKey())).hasMessageContaining("no signature");
    }
}
