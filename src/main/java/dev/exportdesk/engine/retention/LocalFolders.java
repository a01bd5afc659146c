package dev.exportdesk.engine.retention;

import dev.exportdesk.contract.RetentionPolicy;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.delivery.StagedCopies;
import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retention in the workspace: the retained copies ({@code retained/RUN_ID}) and the staging folders
 * ({@code staging/RUN_ID}, {@code staging/RUN_ID-redelivery}) of runs past their contract's
 * {@code retention.retained_copies} or {@code retention.staging}. A retained copy goes only once the
 * partner's receipt accepted its run, when receipts are expected; a staging folder only when its run
 * COMPLETED: an unfinished run's sealed chunks are what its resume delivers, so they are never
 * removed, and a folder whose run the store does not know has no contract and so no policy (it is
 * left for a person). Only folders named by a run id are considered; links are removed as links,
 * never followed.
 */
final class LocalFolders {
    private static final Pattern RUN_FOLDER = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(-redelivery)?");
    /** Bounds a planning pass over a workspace someone filled with folders. */
    static final int MAX_FOLDERS = 10_000;

    private final EngineContext ctx;
    private final ContractService contracts;
    private final StagedCopies copies;

    LocalFolders(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.copies = new StagedCopies(ctx);
    }

    /** The workspace folders to remove now, for {@code contract} or (null) every contract. */
    List<PrunePlan.LocalFolder> plan(String contract, Instant now) throws IOException {
        List<PrunePlan.LocalFolder> out = new ArrayList<>();
        scan(copies.directory(), PrunePlan.LocalKind.RETAINED_COPIES, contract, now, out);
        scan(ctx.stagingDir(), PrunePlan.LocalKind.STAGING, contract, now, out);
        return out;
    }

    private void scan(Path dir, PrunePlan.LocalKind kind, String contract, Instant now,
                      List<PrunePlan.LocalFolder> out) throws IOException {
        BasicFileAttributes d = SafeFiles.lstat(dir);
        if (d == null || !d.isDirectory()) {
            return;
        }
        int seen = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (++seen > MAX_FOLDERS) {
                    break;
                }
                Matcher m = RUN_FOLDER.matcher(p.getFileName().toString());
                BasicFileAttributes a = SafeFiles.lstat(p);
                if (!m.matches() || a == null || !a.isDirectory() || (kind == PrunePlan.LocalKind.RETAINED_COPIES
                        && m.group(2) != null)) {
                    continue;
                }
                Optional<RunRecord> run = ctx.store().inTransaction(c -> ctx.store().runs().find(c, m.group(1)));
                if (run.isEmpty()) {
                    // a store that was replaced left it: no contract owns it, the staging rule of none applies
                    continue;
                }
                if (contract != null && !contract.equals(run.get().contractName())) {
                    continue;
                }
                if (due(kind, run.get(), now)) {
                    out.add(new PrunePlan.LocalFolder(kind, run.get().contractName(), run.get().id(), p));
                }
            }
        }
    }

    private boolean due(PrunePlan.LocalKind kind, RunRecord run, Instant now) {
        if (run.state() != RunState.COMPLETED || run.finishedAt() == null) {
            return false;
        }
        Function<RetentionPolicy, Optional<Duration>> age = kind == PrunePlan.LocalKind.RETAINED_COPIES
                ? RetentionPolicy::retainedCopiesAge : RetentionPolicy::stagingAge;
        Optional<Duration> keep = age.apply(contracts.load(run.contractName()).contract().retention());
        if (keep.isEmpty() || run.finishedAt().plus(keep.get()).isAfter(now)) {
            return false;
        }
        if (kind == PrunePlan.LocalKind.RETAINED_COPIES
                && contracts.load(run.contractName(), run.contractVersion()).contract().destination().policy()
                .ackDeadline() != null) {
            return ctx.store().inTransaction(c -> ctx.store().prunes().receiptAccepted(c, run.id()));
        }
        return true;
    }

    /** Removes a folder and what it holds, links as links; true when it is gone. */
    static boolean remove(Path folder) throws IOException {
        BasicFileAttributes a = SafeFiles.lstat(folder);
        if (a == null || !a.isDirectory()) {
            return false;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
        return true;
    }
}
