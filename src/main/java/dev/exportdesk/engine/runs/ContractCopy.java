package dev.exportdesk.engine.runs;

import dev.exportdesk.cdc.CopySnapshots;
import dev.exportdesk.cdc.XidSnapshot;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.KeyOrder;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.CopySnapshotRepository;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The table copy of a logical contract, as its stream runs see it: which changes the copy already holds. */
final class ContractCopy {
    private ContractCopy() {
    }

    /**
     * What the contract's table copy holds, from the snapshots its attempts read under and (only when
     * needed) its chunks' last keys; null when the contract has no completed copy with recorded snapshots.
     */
    static CopySnapshots snapshots(EngineContext ctx, Contract contract, SourceSchema schema, Connection source)
            throws SQLException {
        Optional<RunRecord> copy = ctx.store().inTransaction(c -> ctx.store().runs().completedInOrder(c,
                contract.name()).stream().filter(r -> r.mode() == RunMode.FULL).reduce((a, b) -> b));
        if (copy.isEmpty()) {
            return null;
        }
        String copyId = copy.get().id();
        List<CopySnapshotRepository.Row> rows = ctx.store().inTransaction(c -> ctx.store().copySnapshots()
                .forRun(c, copyId));
        if (rows.isEmpty()) {
            return null;
        }
        List<XidSnapshot> snapshots = rows.stream().map(r -> XidSnapshot.parse(r.snapshot())).toList();
        KeyOrder order = KeyOrder.of(source, schema);
        return new CopySnapshots(snapshots, snapshots.get(snapshots.size() - 1), order, () -> {
            // only for a transaction that some of the copy's attempts saw and others did not
            List<ChunkRecord> copied = ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, copyId));
            List<CopySnapshots.Piece> pieces = new ArrayList<>();
            int s = 0;
            for (ChunkRecord ch : copied) {
                while (s + 1 < rows.size() && rows.get(s + 1).firstSeq() <= ch.seq()) {
                    s++;
                }
                pieces.add(new CopySnapshots.Piece(CursorCodec.decode(ch.cursorTo()), snapshots.get(s)));
            }
            return pieces;
        });
    }
}
