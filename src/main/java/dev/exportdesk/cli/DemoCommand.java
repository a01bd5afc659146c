package dev.exportdesk.cli;

import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.demo.DemoShop;
import dev.exportdesk.engine.SourceService;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.source.SourceConnection;
import dev.exportdesk.store.Workspace;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Create a demo workspace with a sample shop database and a partner folder, "
        + "export, change data, export again incrementally, verify, and show where to look.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--orders", defaultValue = "5000", description = "Orders in the sample database (default 5000).")
    int orders;

    @Option(names = "--customers", defaultValue = "500", description = "Customers in the sample database.")
    int customers;

    @Override
    public Integer call() throws Exception {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        // Without --workspace or EXPORTDESK_HOME the demo stays out of the real ~/.exportdesk.
        Path workspace = root.workspace != null || root.env().containsKey(Workspace.HOME_ENV)
                ? root.workspaceRoot() : Path.of("exportdesk-demo").toAbsolutePath();
        root.workspace = workspace;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (CliContext ctx = root.open()) {
            // beside the workspace, not in it: no source may be a file inside a workspace
            Path demo = workspace.resolveSibling(workspace.getFileName() + "-sample");
            Path drop = demo.resolve("partner-drop");
            Files.createDirectories(drop);
            DemoShop shop = new DemoShop(demo.resolve("shop"));
            out.println("ExportDesk demo in workspace " + workspace);
            boolean created = shop.createIfMissing(customers, orders);
            out.printf("1. Sample source (embedded H2): %s — %s%n", demo.resolve("shop.mv.db"),
                    created ? customers + " customers, " + orders + " orders" : "already there, reused");
            out.println("2. Partner drop folder: " + drop);
            SourceService sources = new SourceService(ctx.engineContext());
            if (sources.find(DemoContracts.SOURCE).isEmpty()) {
                sources.add(new SourceConnection(DemoContracts.SOURCE, shop.jdbcUrl(), DemoShop.READER, null, null));
            }
            out.printf("   Source connection \"%s\": %s as user %s (SELECT only; see `exportdesk source list`)%n",
                    DemoContracts.SOURCE, shop.jdbcUrl(), DemoShop.READER);
            Path contractsDir = Files.createDirectories(demo.resolve("contracts"));
            Path ordersFile = contractsDir.resolve("orders-to-acme.json");
            Path customersFile = contractsDir.resolve("customers-to-acme.json");
            Files.writeString(ordersFile, DemoContracts.orders(drop), StandardCharsets.UTF_8);
            Files.writeString(customersFile, DemoContracts.customers(drop), StandardCharsets.UTF_8);
            for (Path f : new Path[] {ordersFile, customersFile}) {
                var r = ctx.contracts().importContract(Files.readString(f), f.toString(), false);
                out.printf("3. Contract %s version %d (%s)%n", r.version().contractName(), r.version().version(), f);
            }
            int code = export(ctx, "4. First export", out, err);
            var changes = shop.applyChanges();
            out.printf("5. Changed the source: %d orders updated, %d added, %d soft-deleted, %d committed late "
                            + "(stamped 8 minutes ago), %d customers updated%n", changes.ordersUpdated(),
                    changes.ordersAdded(), changes.ordersDeleted(), changes.lateOrders(), changes.customersUpdated());
            out.println("   waiting 2.5 s for the contracts' 2 s safety lag…");
            out.flush();
            Thread.sleep(2500);
            code = Math.max(code, export(ctx, "6. Incremental export", out, err));
            VerifyService.Outcome orders = null; // the verifier found orders-to-acme's latest run here
            for (String contract : new String[] {"orders-to-acme", "customers-to-acme"}) {
                VerifyService.Outcome v = ctx.verify().verify(contract);
                orders = orders == null ? v : orders;
                out.printf("7. Verified %s run #%d: %s%n", contract, v.run().sequence(), v.report().ok()
                        ? "every file matches its manifest" : "FAILED " + v.report().failures());
                if (!v.report().ok()) {
                    code = ExitCodes.VERIFY_FAILED;
                }
            }
            Path latest = drop.resolve(orders.report().runDirectory());
            out.println();
            out.println("Where to look:");
            out.println("  delivered files:  " + drop);
            out.println("  latest manifest:  " + latest.resolve("manifest.json"));
            out.println("  state and logs:   " + workspace);
            out.println();
            out.println("Try:");
            String ws = launcher() + " --workspace " + workspace;
            out.println("  " + ws + " status");
            out.println("  " + ws + " status orders-to-acme");
            out.println("  " + ws + " verify " + Format.shortId(orders.run().id()) + " --deep");
            out.println("  (cd " + latest + " && sha256sum -c SHA256SUMS)");
            out.println("  zstd -dc " + latest.resolve("chunk-000001.jsonl.zst") + " | head -3");
            return code;
        }
    }

    /** How this program was started, so the suggested commands can be pasted as they are. */
    private static String launcher() {
        try {
            Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (code.toString().endsWith(".jar")) {
                Path cwd = Path.of("").toAbsolutePath();
                Path jar = code.startsWith(cwd) ? cwd.relativize(code) : code;
                return "java -jar " + jar;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the installed launcher's name
        }
        return "exportdesk";
    }

    private static int export(CliContext ctx, String step, PrintWriter out, PrintWriter err) {
        int code = ExitCodes.OK;
        for (String contract : new String[] {"orders-to-acme", "customers-to-acme"}) {
            RunResult r = ctx.engine().run(contract, dev.exportdesk.engine.ProgressListener.NONE);
            out.print(step + ": ");
            code = Math.max(code, RunPrinter.print(r, out, err));
        }
        return code;
    }
}
