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
# Two steps: the demo in a throwaway directory lists the classes it loads (a workspace, a sample H2
# source, two exports through capture, sealing, delivery, the ledger and a deep verification: the
# classes an export loads, not only the ones every command loads; an archive trained on `status`
# alone left the export's start 0.2-0.3 s slower, BENCHMARKS.md 2026-12-05 evening), then a JVM of
# its own writes a static archive of them.
#
# Static, not the dynamic archive Java 17 writes at a program's exit: a dynamic archive cannot hold
# Java 5 class files (picocli's 175 classes loaded from the jar and were verified at every command),
# and it stored a method's "queued for compilation" mark, after which that method was never
# compiled on the machine again (JDK-8306460; one archive left the JSON encoder's string writer
# interpreted and a 2M-row export twice as slow, BENCHMARKS.md 2026-12-06 third). -Xshare:dump runs
# no application code and no JIT, so no method can be queued; the demo may run with the JIT.
(cd "$training" && "$java" -XX:DumpLoadedClassList="$training/classes.lst" -Xshare:auto -Xlog:cds=off \
    -cp "$cp" dev.exportdesk.app.Main --workspace "$training/ws" demo --orders 2000 --customers 200 >/dev/null 2>&1)
# and the classes a PostgreSQL export and the desktop console add, which the demo cannot load (it
# has no database server, and installing needs no display)
for supplement in postgres console; do
    supplement="$(dirname "$0")/exportdesk-$supplement.classlist"
    [ -f "$supplement" ] && cat "$supplement" >>"$training/classes.lst"
done
# and the JDK's own list, so that the archive holds every class the JDK's default archive (which
# it replaces) held, for the console too
jdk_list="$(dirname "$java")/../lib/classlist"
[ -f "$jdk_list" ] && cat "$jdk_list" >>"$training/classes.lst"
# less the classes of multi-release jars' versioned entries: with JFR or an agent watching class
# loading, Java 17 crashed on one archived from there (JDK-8343427; see ArchivableClasses)
"$java" -cp "$cp" dev.exportdesk.app.ArchivableClasses "$training/classes.lst" "$training/archived.lst"
"$java" -Xshare:dump -XX:SharedClassListFile="$training/archived.lst" -XX:SharedArchiveFile="$out.new" \
    -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$cp" >/dev/null 2>&1
mv -f "$out.new" "$out"
chmod 0644 "$out"
