package dev.exportdesk.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Contract JSON in and out. Parsing validates the whole document and reports every error with its
 * JSON path; only a valid document becomes a {@link Contract}. Writing gives one canonical text
 * per contract, so "did it change?" is a byte comparison.
 */
public final class ContractCodec {
    /** Names that end up in file and directory names: a strict allow-list. */
    public static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String SAFE_NAME_HINT =
            "must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern IDENTIFIER = Pattern.compile("[^\\p{Cntrl}]{1,128}");
    private static final Pattern SECRET_IN_URL = Pattern.compile("(?i).*(password|passwd|pwd|secret)\\s*=.*");

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Free text is bounded so a contract stays a readable document (and fits its VARCHAR column). */
    static final int MAX_DESCRIPTION = 4000;
    /** Contract and partner names: the state store's VARCHAR(64) key columns. */
    static final int MAX_NAME = 64;
    static final int MAX_QUERY = 100_000;
    /** The largest contract file read at all (UTF-8 takes up to 4 bytes for each of the characters allowed). */
    public static final long MAX_DOCUMENT_BYTES = 4L * ContractJson.MAX_DOCUMENT_CHARS;

    private ContractCodec() {
    }

    /** Parses and validates; {@code origin} (a file name) prefixes the error message. */
    public static Contract parse(String json, String origin) {
        JsonNode root = ContractJson.read(json, origin);
        if (root == null || !root.isObject()) {
            throw new ContractValidationException(origin, List.of(new ValidationError("$", "must be a JSON object")));
        }
        List<ValidationError> errors = new ArrayList<>();
        Contract contract = read(new JsonFields(errors, root, "$"), errors);
        if (!errors.isEmpty()) {
            throw new ContractValidationException(origin, errors);
        }
        return contract;
    }

    private static Contract read(JsonFields f, List<ValidationError> errors) {
        f.rejectUnknown(Set.of("name", "partner", "description", "source", "table", "query", "key_columns",
                "cursor_columns", "columns", "soft_delete_column", "format", "compression", "compression_level",
                "chunk", "fetch_size", "destination", "schedule", "late_data", "slo", "retry", "alerts",
                "backfill", "capture", "openpgp", "masking", "row_filter", "schema_change", "csv", "retention"));
        String name = f.string("name", true, SAFE_NAME, SAFE_NAME_HINT, MAX_NAME);
        String partner = f.string("partner", true, SAFE_NAME, SAFE_NAME_HINT, MAX_NAME);
        String description = f.string("description", false, null, null, MAX_DESCRIPTION);
        SourceRef source = f.isText("source")
                ? SourceRef.named(f.string("source", true, SAFE_NAME, SAFE_NAME_HINT, MAX_NAME))
                : readSource(f.object("source", true));

        String table = f.string("table", false, IDENTIFIER, "must be a table name, optionally schema-qualified");
        String query = f.string("query", false, null, null, MAX_QUERY);
        if (f.has("table") == f.has("query")) {
            f.error("table", "give exactly one of \"table\" or \"query\"");
        }
        if (query != null) {
            QueryText.problem(query).ifPresent(p -> f.error("query", p));
        }
        List<String> keys = f.stringList("key_columns", true, true);
        List<String> cursor = f.stringList("cursor_columns", false, false);
        List<String> columns = f.stringList("columns", false, true);
        String softDelete = f.string("soft_delete_column", false, IDENTIFIER, "must be a column name");
        if (columns != null) {
            Set<String> selected = Set.copyOf(columns);
            requireSelected(f, "key_columns", keys, selected);
            requireSelected(f, "cursor_columns", cursor, selected);
            if (softDelete != null && !selected.contains(softDelete)) {
                f.error("soft_delete_column", "column \"" + softDelete + "\" must also be listed in \"columns\"");
            }
        }
        if (keys != null && cursor != null) {
            Set<String> keySet = Set.copyOf(keys);
            for (String c : cursor) {
                if (keySet.contains(c)) {
                    f.error("cursor_columns", "\"" + c + "\" is a key column; key columns are appended to the "
                            + "cursor automatically");
                }
            }
        }

        OutputFormat format = f.choice("format", OutputFormat.class, OutputFormat.JSONL, OutputFormat::jsonName);
        Compression compression = f.choice("compression", Compression.class, Compression.ZSTD, Compression::jsonName);
        int level = compression == Compression.NONE
                ? (int) f.integer("compression_level", 0, 0, 0)
                : (int) f.integer("compression_level", compression.defaultLevel(), compression.minLevel(),
                        compression.maxLevel());

        ChunkLimits chunk = readChunk(f.object("chunk", false));
        int fetchSize = (int) f.integer("fetch_size", 1000, 1, 100_000);
        CsvDialect csv = LayoutCodec.csv(f, format);
        JsonFields inline = f.isText("destination") ? null : f.object("destination", true);
        DestinationSpec destination = f.isText("destination")
                ? new NamedDestinationSpec(f.string("destination", true, SAFE_NAME, SAFE_NAME_HINT, MAX_NAME))
                : inline != null && inline.has("name") ? namedWithLayout(inline) : readDestination(inline);
        PathTemplate pathTemplate = LayoutCodec.pathTemplate(inline, partner, name, table);

        Schedule runSchedule = null;
        JsonFields schedule = f.object("schedule", false);
        if (schedule != null) {
            schedule.rejectUnknown(Set.of("interval", "cron", "zone", "verify_interval", "verify_level"));
            runSchedule = readSchedule(schedule);
            // issue 5: periodic verification (read by the engine from the stored body; see VerificationSchedule)
            schedule.duration("verify_interval", null, Duration.ofMinutes(1), Duration.ofDays(366));
            schedule.string("verify_level", false, java.util.regex.Pattern.compile("delivery|deep"),
                    "must be \"delivery\" or \"deep\"");
        }
        LateDataPolicy late = readLate(f.object("late_data", false));
        if (late.lookback() != null && late.lookback().compareTo(Duration.ZERO) > 0 && cursor != null
                && cursor.isEmpty()) {
            f.error("late_data", "a lookback needs cursor_columns (full exports re-read everything anyway)");
        }
        Slo slo = readSlo(f.object("slo", false));
        RetryPolicy retry = readRetry(f.object("retry", false));
        // issue 13: alerts (read by the alerting from the stored body; see AlertSpec)
        AlertSpec.read(f.object("alerts", false));
        Backfill backfill = readBackfill(f.object("backfill", false));
        OpenPgpSpec openpgp = OpenPgpCodec.read(f.object("openpgp", false));
        CaptureSpec capture = readCapture(f.object("capture", false));
        MaskingPolicy masking = MaskingCodec.read(f, keys, cursor, columns);
        if (capture.logical()) {
            requireLogicalFits(f, cursor);
        }
        SchemaChangePolicy schemaChange = f.choice("schema_change", SchemaChangePolicy.class, SchemaChangePolicy.STOP,
                SchemaChangePolicy::jsonName);
        if (schemaChange == SchemaChangePolicy.ADDITIVE) {
            requireAdditiveFits(f, capture, columns, masking);
        }
        RetentionPolicy retention = RetentionCodec.read(f);

        if (!errors.isEmpty()) {
            return null;
        }
        return new Contract(name, partner, description, source, table, query, keys,
                cursor == null ? List.of() : cursor, columns, softDelete, format, compression, level, chunk,
                fetchSize, destination, runSchedule, late, slo, retry, backfill, capture, openpgp, masking,
                schemaChange, pathTemplate, csv, retention);
    }

    /**
     * Where an added column could not be taken safely, {@code additive} is refused rather than
     * silently ignored: a query's columns carry no reliable NOT NULL (the driver reports "unknown"),
     * a column list never gains a column, the log's relation messages change mid-stream (not
     * handled: a logical contract stops, docs/cdc.md), and a masking policy names only the columns it
     * transforms — any other column passes unmasked, so a new one would reach the partner before a
     * steward decided how to mask it.
     */
    private static void requireAdditiveFits(JsonFields f, CaptureSpec capture, List<String> columns,
                                            MaskingPolicy masking) {
        String why = f.has("query") ? "a query's columns cannot be checked for NOT NULL; give \"table\""
                : columns != null ? "an explicit \"columns\" list never takes an added column (it is not delivered "
                        + "and does not stop the contract); remove \"schema_change\" or \"columns\""
                : capture.logical() ? "a logical capture stops on any change of the table's columns"
                : masking != null && !masking.isEmpty() ? "a contract with a masking policy or row filter stops "
                        + "on an added column, so that no column reaches the partner before the policy names it"
                : null;
        if (why != null) {
            f.error("schema_change", "\"additive\" does not apply here: " + why + "; use \"stop\"");
        }
    }

    /** The {@code capture} object; absent or {@code "mode": "cursor"}: cursor capture. */
    private static CaptureSpec readCapture(JsonFields c) {
        if (c == null) {
            return CaptureSpec.CURSOR;
        }
        c.rejectUnknown(Set.of("mode", "publication", "slot"));
        if (!c.has("mode")) {
            c.error("mode", "is required (\"cursor\" or \"logical\")");
            return CaptureSpec.CURSOR;
        }
        CaptureSpec.Mode mode = c.choice("mode", CaptureSpec.Mode.class, CaptureSpec.Mode.CURSOR,
                CaptureSpec.Mode::jsonName);
        if (mode == CaptureSpec.Mode.CURSOR) {
            for (String field : List.of("publication", "slot")) {
                if (c.has(field)) {
                    c.error(field, "only a \"logical\" capture takes a " + field);
                }
            }
            return CaptureSpec.CURSOR;
        }
        String publication = c.string("publication", true, CaptureSpec.NAME, CaptureSpec.NAME_HINT, 63);
        String slot = c.string("slot", true, CaptureSpec.NAME, CaptureSpec.NAME_HINT, 63);
        return new CaptureSpec(mode, publication, slot);
    }

    /**
     * What a logical capture does not combine with: it reads a table from the log (a query is not
     * in any publication), needs no cursor (the log gives every change in commit order) and so no
     * late-data policy, which exists for rows that commit behind a cursor. Soft-delete columns and
     * schedules keep their meaning.
     */
    private static void requireLogicalFits(JsonFields f, List<String> cursor) {
        if (f.has("query")) {
            f.error("query", "a logical capture reads a table from the log; give \"table\" instead of \"query\"");
        }
        if (cursor != null && !cursor.isEmpty()) {
            f.error("cursor_columns", "a logical capture takes every change from the log and needs no cursor; "
                    + "remove \"cursor_columns\"");
        }
        if (f.has("late_data")) {
            f.error("late_data", "late data is a cursor capture's concern (the log gives every committed change in "
                    + "commit order); remove \"late_data\"");
        }
        if (f.has("backfill")) {
            f.error("backfill", "a logical capture's table copy is read by one worker in key order, not split across workers; remove "
                    + "\"backfill\"");
        }
    }

    /**
     * {@code interval} (every so long after the last start) or {@code cron} with an optional
     * {@code zone} (default UTC), never both; null when the contract runs only when asked.
     */
    private static Schedule readSchedule(JsonFields s) {
        Duration interval = s.duration("interval", null, Duration.ofMinutes(1), Duration.ofDays(31));
        String cron = s.string("cron", false, null, null, Schedule.CronText.MAX_LENGTH);
        String zoneText = s.string("zone", false, null, null, 64);
        if (s.has("interval") && s.has("cron")) {
            s.error("cron", "give either \"interval\" or \"cron\", not both");
            return null;
        }
        if (s.has("zone") && !s.has("cron")) {
            s.error("zone", "only a \"cron\" schedule takes a zone (an interval counts from the last start)");
            return null;
        }
        ZoneId zone = ZoneId.of("UTC");
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (java.time.DateTimeException e) {
                s.error("zone", "is not a time zone; use a region name such as \"Europe/Berlin\" or \"UTC\" (got \""
                        + JsonFields.quote(zoneText) + "\")");
                return null;
            }
        }
        if (cron == null) {
            return interval == null ? null : new Schedule.Every(interval);
        }
        ZoneId in = zone;
        Optional<String> problem = Schedule.CronText.problem(cron.trim(), in);
        problem.ifPresent(p -> s.error("cron", p));
        return problem.isPresent() ? null : new Schedule.Cron(cron.trim(), in);
    }

    private static void requireSelected(JsonFields f, String field, List<String> required, Set<String> columns) {
        if (required == null) {
            return;
        }
        for (String c : required) {
            if (!columns.contains(c)) {
                f.error("columns", "must include " + field.replace("_columns", "") + " column \"" + c + "\"");
            }
        }
    }

    private static SourceRef readSource(JsonFields s) {
        if (s == null) {
            return null;
        }
        if (s.has("password")) {
            s.error("password", "credentials must not be stored in a contract; name an environment variable "
                    + "with \"password_env\"");
        }
        s.rejectUnknown(Set.of("name", "jdbc_url", "user", "user_env", "password_env", "password"));
        String name = s.string("name", true, SAFE_NAME, SAFE_NAME_HINT);
        String url = s.string("jdbc_url", true, null, null);
        if (url != null && !url.startsWith("jdbc:")) {
            s.error("jdbc_url", "must start with \"jdbc:\"");
        }
        if (url != null && SECRET_IN_URL.matcher(url).matches()) {
            s.error("jdbc_url", "must not contain a password; use \"password_env\"");
        }
        String user = s.string("user", false, null, null);
        String userEnv = s.string("user_env", false, ENV_NAME, "must be an environment variable name");
        if (user != null && userEnv != null) {
            s.error("user_env", "give either \"user\" or \"user_env\", not both");
        }
        String passwordEnv = s.string("password_env", false, ENV_NAME, "must be an environment variable name");
        return new SourceRef(name, url, user, userEnv, passwordEnv);
    }

    private static Backfill readBackfill(JsonFields b) {
        if (b == null) {
            return Backfill.SERIAL;
        }
        b.rejectUnknown(Set.of("max_workers", "segment_rows"));
        int workers = (int) b.integer("max_workers", Backfill.DEFAULT_MAX_WORKERS, 1, 64);
        long rows = b.integer("segment_rows", Backfill.DEFAULT_SEGMENT_ROWS, 1_000, 1_000_000_000);
        return new Backfill(workers, rows);
    }

    private static ChunkLimits readChunk(JsonFields c) {
        if (c == null) {
            return new ChunkLimits(ChunkLimits.DEFAULT_MAX_ROWS, ChunkLimits.DEFAULT_MAX_BYTES,
                    ChunkLimits.DEFAULT_TARGET_TIME);
        }
        c.rejectUnknown(Set.of("max_rows", "max_bytes", "target_time"));
        int rows = (int) c.integer("max_rows", ChunkLimits.DEFAULT_MAX_ROWS, 1, 10_000_000);
        long bytes = c.integer("max_bytes", ChunkLimits.DEFAULT_MAX_BYTES, 1024, 4L * 1024 * 1024 * 1024);
        Duration target = c.duration("target_time", ChunkLimits.DEFAULT_TARGET_TIME, Duration.ofMillis(100),
                Duration.ofHours(1));
        return new ChunkLimits(rows, bytes, target);
    }

    /**
     * A destination object on its own, exactly as a contract's inline {@code destination} (a named
     * destination's stored definition); every error carries its JSON path under {@code $}.
     */
    public static DestinationSpec parseDestination(String json, String origin) {
        JsonNode root = ContractJson.read(json, origin);
        if (root == null || !root.isObject()) {
            throw new ContractValidationException(origin, List.of(new ValidationError("$", "must be a JSON object")));
        }
        List<ValidationError> errors = new ArrayList<>();
        JsonFields d = new JsonFields(errors, root, "$");
        DestinationSpec spec = readDestination(d);
        if (d.has("path_template")) {
            // a named definition changes in place; a run's folder must not move with it
            d.error("path_template", "belongs in a contract's own destination object, whose versions never change");
        }
        if (!errors.isEmpty()) {
            throw new ContractValidationException(origin, errors);
        }
        return spec;
    }

    /** The canonical text of a destination object (what {@link #parseDestination} reads back). */
    public static String writeDestination(DestinationSpec spec) {
        if (spec instanceof NamedDestinationSpec) {
            throw new IllegalArgumentException("a named destination is not a definition");
        }
        ObjectNode dest = MAPPER.createObjectNode();
        writeDestination(dest, spec);
        try {
            return MAPPER.writeValueAsString(dest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeDestination(ObjectNode dest, DestinationSpec spec) {
        dest.put("type", spec.type());
        if (spec instanceof FolderDestinationSpec folder) {
            dest.put("path", folder.path());
        }
        DestinationCodec.write(dest, spec);
    }

    /**
     * {@code {"name": "acme-sftp", "path_template": …}}: a named destination with this contract's own
     * run folder template (the template belongs to the contract version, never to the definition,
     * which changes in place).
     */
    private static DestinationSpec namedWithLayout(JsonFields d) {
        d.rejectUnknown(Set.of("name", "path_template"));
        String named = d.string("name", true, SAFE_NAME, SAFE_NAME_HINT, MAX_NAME);
        return named == null ? null : new NamedDestinationSpec(named);
    }

    private static DestinationSpec readDestination(JsonFields d) {
        if (d == null) {
            return null;
        }
        String type = d.string("type", true, null, null);
        if (type == null) {
            return null;
        }
        if (type.equals("sftp")) {
            return DestinationCodec.sftp(d);
        }
        if (type.equals("s3")) {
            return DestinationCodec.s3(d);
        }
        if (!type.equals("folder")) {
            d.error("type", "must be \"folder\", \"sftp\" or \"s3\" (got \"" + type + "\")");
            return null;
        }
        d.rejectUnknown(DestinationCodec.with(Set.of("type", "path")));
        TransferPolicy policy = DestinationCodec.policy(d);
        String path = d.string("path", true, null, null);
        if (path != null) {
            try {
                if (!Path.of(path).isAbsolute()) {
                    d.error("path", "must be an absolute path (got \"" + path + "\")");
                    return null;
                }
            } catch (RuntimeException e) {
                d.error("path", "is not a valid path: " + e.getMessage());
                return null;
            }
        }
        return path == null ? null : new FolderDestinationSpec(path, policy);
    }

    private static LateDataPolicy readLate(JsonFields l) {
        if (l == null) {
            return new LateDataPolicy(LateDataPolicy.DEFAULT_SAFETY_LAG, null);
        }
        l.rejectUnknown(Set.of("safety_lag", "lookback"));
        Duration lag = l.duration("safety_lag", LateDataPolicy.DEFAULT_SAFETY_LAG, Duration.ZERO, Duration.ofDays(7));
        Duration lookback = l.duration("lookback", null, Duration.ZERO, Duration.ofDays(31));
        return new LateDataPolicy(lag, lookback);
    }

    private static Slo readSlo(JsonFields s) {
        if (s == null) {
            return new Slo(null, 1.0);
        }
        s.rejectUnknown(Set.of("max_delivery_lag", "max_failure_rate"));
        Duration lag = s.duration("max_delivery_lag", null, Duration.ofSeconds(1), Duration.ofDays(365));
        double rate = s.decimal("max_failure_rate", 1.0, 0.0, 1.0);
        return new Slo(lag, rate);
    }

    private static RetryPolicy readRetry(JsonFields r) {
        if (r == null) {
            return RetryPolicy.DEFAULT;
        }
        r.rejectUnknown(Set.of("max_attempts", "initial_backoff", "max_backoff"));
        int attempts = (int) r.integer("max_attempts", RetryPolicy.DEFAULT.maxAttempts(), 1, 100);
        Duration initial = r.duration("initial_backoff", RetryPolicy.DEFAULT.initialBackoff(), Duration.ofMillis(1),
                Duration.ofHours(1));
        Duration max = r.duration("max_backoff", RetryPolicy.DEFAULT.maxBackoff(), Duration.ofMillis(1),
                Duration.ofHours(6));
        if (max.compareTo(initial) < 0) {
            r.error("max_backoff", "must not be shorter than initial_backoff");
        }
        return new RetryPolicy(attempts, initial, max);
    }

    /** The canonical JSON text of a contract (stable field order, defaults written out). */
    public static String write(Contract c) {
        return write(c, null);
    }

    /**
     * The canonical JSON with the contract's periodic verification ({@code schedule.verify_interval},
     * {@code verify_level}), which the {@link Contract} record does not hold; null: none.
     */
    public static String write(Contract c, VerificationSchedule verification) {
        return write(c, verification, null);
    }

    /** As {@link #write(Contract, VerificationSchedule)}, with the contract's alerts (null: none). */
    public static String write(Contract c, VerificationSchedule verification, AlertSpec alerts) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", c.name());
        root.put("partner", c.partner());
        if (c.description() != null) {
            root.put("description", c.description());
        }
        // the connection itself is the administrator's: a contract only ever names it
        root.put("source", c.source().name());
        putIfPresent(root, "table", c.table());
        putIfPresent(root, "query", c.query());
        strings(root.putArray("key_columns"), c.keyColumns());
        strings(root.putArray("cursor_columns"), c.cursorColumns());
        if (c.columns() != null) {
            strings(root.putArray("columns"), c.columns());
        }
        putIfPresent(root, "soft_delete_column", c.softDeleteColumn());
        if (c.capture().logical()) {
            ObjectNode capture = root.putObject("capture");
            capture.put("mode", c.capture().mode().jsonName());
            capture.put("publication", c.capture().publication());
            capture.put("slot", c.capture().slot());
        }
        root.put("format", c.format().jsonName());
        LayoutCodec.writeCsv(root, c.csv());
        root.put("compression", c.compression().jsonName());
        if (c.compression() != Compression.NONE) {
            root.put("compression_level", c.compressionLevel());
        }
        ObjectNode chunk = root.putObject("chunk");
        chunk.put("max_rows", c.chunk().maxRows());
        chunk.put("max_bytes", c.chunk().maxBytes());
        chunk.put("target_time", DurationText.format(c.chunk().targetTime()));
        root.put("fetch_size", c.fetchSize());
        if (c.destination() instanceof NamedDestinationSpec named && c.pathTemplate().isDefault()) {
            root.put("destination", named.name());
        } else if (c.destination() instanceof NamedDestinationSpec named) {
            LayoutCodec.writePathTemplate(root.putObject("destination").put("name", named.name()), c.pathTemplate());
        } else {
            ObjectNode dest = root.putObject("destination");
            writeDestination(dest, c.destination());
            LayoutCodec.writePathTemplate(dest, c.pathTemplate());
        }
        if (c.runSchedule() != null || verification != null) {
            ObjectNode schedule = root.putObject("schedule");
            if (c.runSchedule() instanceof Schedule.Every every) {
                schedule.put("interval", DurationText.format(every.interval()));
            } else if (c.runSchedule() instanceof Schedule.Cron cron) {
                schedule.put("cron", cron.expression());
                schedule.put("zone", cron.zone().getId());
            }
            if (verification != null) {
                schedule.put("verify_interval", DurationText.format(verification.interval()));
                schedule.put("verify_level", verification.deep() ? "deep" : "delivery");
            }
        }
        if (!c.capture().logical()) {
            ObjectNode late = root.putObject("late_data");
            late.put("safety_lag", DurationText.format(c.lateData().safetyLag()));
            if (c.lateData().lookback() != null) {
                late.put("lookback", DurationText.format(c.lateData().lookback()));
            }
        }
        ObjectNode slo = root.putObject("slo");
        if (c.slo().maxDeliveryLag() != null) {
            slo.put("max_delivery_lag", DurationText.format(c.slo().maxDeliveryLag()));
        }
        slo.put("max_failure_rate", c.slo().maxFailureRate());
        ObjectNode retry = root.putObject("retry");
        retry.put("max_attempts", c.retry().maxAttempts());
        retry.put("initial_backoff", DurationText.format(c.retry().initialBackoff()));
        retry.put("max_backoff", DurationText.format(c.retry().maxBackoff()));
        if (!c.backfill().equals(Backfill.SERIAL)) {
            ObjectNode backfill = root.putObject("backfill");
            backfill.put("max_workers", c.backfill().maxWorkers());
            backfill.put("segment_rows", c.backfill().segmentRows());
        }
        OpenPgpCodec.write(root, c.openpgp());
        MaskingCodec.write(root, c.masking());
        if (c.schemaChange() != SchemaChangePolicy.STOP) { // absent by default, so older contracts keep their text
            root.put("schema_change", c.schemaChange().jsonName());
        }
        RetentionCodec.write(root, c.retention());
        if (alerts != null) {
            alerts.write(root);
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write contract JSON", e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
