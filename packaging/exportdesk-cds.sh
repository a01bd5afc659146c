#!/bin/sh
# Builds the class-data archive that the launcher maps at every start
# (-XX:SharedArchiveFile=$APPDIR/exportdesk.jsa): about a third of a CLI command's start-up is
# loading and verifying classes, which the archive makes a memory map. Java 17 records absolute
# class-path entries in the archive, so it can only be made where the application is installed:
# the .deb's postinst runs this, and packaging/build.sh runs it for the app-image it leaves in
# target/. A missing or stale archive is ignored by the JVM (the launcher silences its warning),
# so a failure here costs start-up time, never a working installation.
set -eu
app="$(cd "$(dirname "$0")" && pwd -P)"
java="$app/../runtime/bin/java"
[ -x "$java" ] || exit 0
# the class path exactly as the launcher passes it (the archive is refused on any difference)
cp="$(sed -n 's/^app\.classpath=//p' "$app/ExportDesk.cfg" | sed "s|\\\$APPDIR|$app|" | paste -sd: -)"
[ -n "$cp" ] || exit 1
training="$(mktemp -d)"
trap 'rm -rf "$training"' EXIT
rm -f "$app/exportdesk.jsa.new"
# a throwaway workspace: loads the CLI, the state store, Flyway and the migrations, as every command does
"$java" -XX:ArchiveClassesAtExit="$app/exportdesk.jsa.new" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -cp "$cp" dev.exportdesk.app.Main --workspace "$training/ws" status >/dev/null 2>&1
mv -f "$app/exportdesk.jsa.new" "$app/exportdesk.jsa"
chmod 0644 "$app/exportdesk.jsa"
