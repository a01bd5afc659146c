#!/bin/sh
# Builds the class-data archive that the launcher maps at every start
# (-XX:SharedArchiveFile=$APPDIR/exportdesk.jsa): about a third of a CLI command's start-up is
# loading and verifying classes, which the archive makes a memory map. Java 17 records absolute
# class-path entries in the archive, so it can only be made where the application is installed:
# the .deb's postinst runs this, and packaging/build.sh runs it for the app-image it leaves in
# target/. A missing or stale archive is ignored by the JVM (the launcher silences its warning),
# so a failure here costs start-up time, never a working installation.
#
# With three arguments (JAVA CLASS_PATH ARCHIVE) it trains the same way for another layout:
# `.ci/bench export` measures the packaged jar with an archive made like the installed one.
set -eu
if [ $# -eq 3 ]; then
    java="$1" cp="$2" out="$3"
else
    app="$(cd "$(dirname "$0")" && pwd -P)"
    java="$app/../runtime/bin/java"
    [ -x "$java" ] || exit 0
    # the class path exactly as the launcher passes it (the archive is refused on any difference)
    cp="$(sed -n 's/^app\.classpath=//p' "$app/ExportDesk.cfg" | sed "s|\\\$APPDIR|$app|" | paste -sd: -)"
    out="$app/exportdesk.jsa"
fi
[ -n "$cp" ] || exit 1
training="$(mktemp -d)"
trap 'rm -rf "$training"' EXIT
rm -f "$out.new"
# The demo in a throwaway directory: a workspace, a sample H2 source, two exports through
# capture, sealing, delivery, the ledger and a deep verification — the classes an export loads,
# not only the ones every command loads (an archive trained on `status` alone left the export's
# start 0.2–0.3 s slower; BENCHMARKS.md, 2026-12-05 evening).
#
# -Xint: no method may be waiting for the JIT when the archive is written. Java 17 archives a
# method's "queued for compilation" mark with it (JDK-8306460, fixed in Java 21), and a method
# archived with it is never compiled again: it runs interpreted in every command on this machine. Which
# methods are queued at the demo's exit is a matter of timing; one archive left the JSON encoder's
# string writer and H2's value reader interpreted, and a 2M-row export twice as slow
# (BENCHMARKS.md, 2026-12-06, third section). Interpreted, the demo takes about 15 s instead of 9.
(cd "$training" && "$java" -Xint -XX:ArchiveClassesAtExit="$out.new" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -cp "$cp" dev.exportdesk.app.Main --workspace "$training/ws" demo --orders 2000 --customers 200 >/dev/null 2>&1)
mv -f "$out.new" "$out"
chmod 0644 "$out"
