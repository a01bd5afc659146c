#!/usr/bin/env bash
# Builds a Linux app-image and a .deb with jpackage, in classpath mode.
#   mvn -B -Ppackage package -DskipTests     (runs this script after the jar and target/lib exist)
# The runtime is jlinked from the JDK's modules plus the JavaFX modules only; every other library
# (H2, which is not a proper module, HikariCP, Flyway, Jackson, ControlsFX…) stays on the class path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$(cd "${1:-$here/../target}" && pwd)"
version="${2:-0.1.0}"
version="${version%-SNAPSHOT}"
cd "$target"
rm -rf package runtime jpackage-input jpackage-resources
mkdir -p package jpackage-input/lib jpackage-resources
cp "$here/exportdesk.desktop" jpackage-resources/ExportDesk.desktop
# the .deb's maintainer scripts: jpackage's own, plus the class-data archive and the worker's unit
cp "$here/deb/postinst" "$here/deb/prerm" jpackage-resources/

# JavaFX: the platform jars Maven resolved (modular) go on the jlink module path, not the class path.
fx_jars=$(ls lib/javafx-*-linux.jar 2>/dev/null | tr '\n' ':')
if [[ -z "$fx_jars" ]]; then
  echo "no JavaFX platform jars in $target/lib (run mvn package first)" >&2
  exit 1
fi
cp exportdesk.jar jpackage-input/
cp "$here/exportdesk-cds.sh" "$here/exportdesk-postgres.classlist" "$here/exportdesk-console.classlist" "$here/exportdesk-worker.service" jpackage-input/
for jar in lib/*.jar; do
  case "$(basename "$jar")" in
    javafx-*) ;;                                   # provided by the runtime image
    *) cp "$jar" jpackage-input/lib/ ;;        # the jar manifest's Class-Path says lib/…
  esac
done

jdk_modules="java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.localedata,jdk.unsupported,jdk.zipfs"
fx_modules="javafx.base,javafx.graphics,javafx.controls,javafx.fxml"
jlink --module-path "${fx_jars%:}" --add-modules "$jdk_modules,$fx_modules" \
      --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive --output runtime

common=(--name ExportDesk --app-version "$version" --vendor "ExportDesk"
        --description "Incremental data exports to partners that provably arrive complete"
        --input jpackage-input --main-jar exportdesk.jar --main-class dev.exportdesk.app.Main
        --runtime-image runtime --icon "$here/exportdesk.png" --dest package
        --resource-dir jpackage-resources
        --java-options "-Xmx1g"
        --java-options "-XX:SharedArchiveFile=\$APPDIR/exportdesk.jsa -Xlog:cds=off -Xlog:cds+dynamic=off")
jpackage --type app-image "${common[@]}"
package/ExportDesk/lib/app/exportdesk-cds.sh || echo "no class-data archive for the app-image (slower start-up)" >&2
if command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
  jpackage --type deb "${common[@]}" --linux-shortcut --linux-menu-group "Office" \
           --linux-app-category misc --install-dir /opt
  echo "built: $target/package/ExportDesk (app-image) and $(ls "$target"/package/*.deb)"
else
  echo "built: $target/package/ExportDesk (app-image); dpkg-deb/fakeroot missing, no .deb"
fi
