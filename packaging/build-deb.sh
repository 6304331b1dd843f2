#!/usr/bin/env bash
# Builds the Debian package ringswitch_VERSION_all.deb from a built checkout (./ringswitch package
# builds first): the command line's jar and its runtime dependencies, the /usr/bin launcher, the
# systemd unit ringswitch@.service, /etc/ringswitch (conffiles), the man page ringswitch(8),
# generated from the commands' --help texts, and the copyright file.
#
#   packaging/build-deb.sh HOME OUT_DIR     HOME: the checkout; prints the .deb's path
#
# Needs dpkg-deb (1.19 or later: --root-owner-group, so no fakeroot), gzip and java.
set -euo pipefail

die() { echo "build-deb: $*" >&2; exit 1; }

HOME_DIR=$(cd "${1:?HOME}" && pwd)
OUT=${2:?OUT_DIR}
DEB="$HOME_DIR/packaging/deb"
POM_VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$HOME_DIR/pom.xml" | head -1)
# Debian sorts 0.1.0~snapshot before 0.1.0; a hyphen would make "SNAPSHOT" a Debian revision.
VERSION=$(printf '%s' "$POM_VERSION" | sed 's/-SNAPSHOT$/~snapshot/; s/-/~/g')
JAR="$HOME_DIR/topology/target/topology-$POM_VERSION.jar"
LIB="$HOME_DIR/topology/target/lib"
[ -f "$JAR" ] && [ -d "$LIB" ] || die "$JAR or $LIB is missing: build first (./ringswitch build)"
for tool in dpkg-deb gzip java; do command -v "$tool" >/dev/null || die "$tool is missing"; done
# The man page's date: the last commit's (the same sources give the same page), else today.
DATE=$(git -C "$HOME_DIR" log -1 --format=%cs 2>/dev/null || date -u +%F)

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
SHARE="$STAGE/usr/share/ringswitch"
install -d -m 0755 "$SHARE/lib" "$SHARE/ovs-scripts" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" \
  "$STAGE/etc/ringswitch" "$STAGE/usr/share/doc/ringswitch" "$STAGE/usr/share/man/man8" "$STAGE/DEBIAN"

install -m 0644 "$JAR" "$LIB"/*.jar "$SHARE/lib/"
install -m 0644 "$HOME_DIR/overlay-node/jvm/node.options" "$SHARE/node.options"
install -m 0644 "$HOME_DIR/overlay-node/jvm/node-jdk25.options" "$SHARE/node-jdk25.options"
# A gateway's port and NAT (gateway: in the config) are set up by this script (-Dringswitch.home).
install -m 0755 "$HOME_DIR/ovs-scripts/gateway.sh" "$SHARE/ovs-scripts/"
install -m 0755 "$DEB/files/ringswitch" "$STAGE/usr/bin/ringswitch"
install -m 0644 "$DEB/files/ringswitch@.service" "$STAGE/lib/systemd/system/"
install -m 0644 "$DEB/files/example.yaml" "$DEB/files/README" "$STAGE/etc/ringswitch/"
install -m 0644 "$DEB/files/copyright" "$STAGE/usr/share/doc/ringswitch/copyright"

# Every jar must be named by a stanza of the copyright file.
patterns=$(awk '/^Files:/{sub(/^Files:/,""); f=1} f&&/^(Files:| )/{print} /^[A-Z][a-z-]*:/&&!/^Files:/{f=0}' \
  "$DEB/files/copyright" | tr ' ' '\n' | grep '^usr/share/ringswitch/lib/' || true)
for jar in "$SHARE"/lib/*.jar; do
  rel=${jar#"$STAGE"/}
  covered=no
  for p in $patterns; do
    # shellcheck disable=SC2053
    [[ $rel == $p ]] && { covered=yes; break; }
  done
  [ $covered = yes ] || die "$rel has no licence in packaging/deb/files/copyright: add its Files: stanza"
done

"$HOME_DIR/packaging/man-page.sh" "$JAR:$LIB/*" "$POM_VERSION" "$DATE" | gzip -9n > "$STAGE/usr/share/man/man8/ringswitch.8.gz"

install -m 0755 "$DEB/DEBIAN/postinst" "$DEB/DEBIAN/prerm" "$DEB/DEBIAN/postrm" "$STAGE/DEBIAN/"
printf '/etc/ringswitch/example.yaml\n/etc/ringswitch/README\n' > "$STAGE/DEBIAN/conffiles"
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
MAINTAINER="${DEBFULLNAME:-RingSwitch developers} <${DEBEMAIL:-root@localhost}>"
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE/" -e "s/@MAINTAINER@/$MAINTAINER/" \
  "$DEB/DEBIAN/control.in" > "$STAGE/DEBIAN/control"
find "$STAGE" -type d -exec chmod 0755 {} +

mkdir -p "$OUT"
PACKAGE="$(cd "$OUT" && pwd)/ringswitch_${VERSION}_all.deb"
dpkg-deb --root-owner-group -Zgzip --build "$STAGE" "$PACKAGE" >/dev/null
echo "$PACKAGE"
