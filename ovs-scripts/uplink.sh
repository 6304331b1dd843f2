#!/usr/bin/env bash
# Put a site's uplink NIC on its OVS bridge for a full tunnel (issue 17), and take it off again.
#
#   uplink.sh attach DIR BRIDGE UPLINK LOCALPORT ADDR/PREFIX GATEWAY
#   uplink.sh detach DIR BRIDGE UPLINK LOCALPORT ADDR/PREFIX GATEWAY
#
# attach: UPLINK loses its addresses and IPv6 (the kernel must send nothing on it by itself: every
# frame that leaves it comes through the bridge's flows) and becomes a port of BRIDGE; LOCALPORT, an
# OVS internal port, gets ADDR/PREFIX (the node's underlay address, where its UDP/TCP sockets bind),
# IPv6 disabled and the default route via GATEWAY. What the node sends then crosses the bridge, and
# the controller's flows decide what leaves the uplink.
# detach: the reverse; the address and default route go back to UPLINK.
# Both are idempotent. DIR is the instance's run directory (see ovs-instance.sh: its db.sock); run
# it inside the namespace the instance belongs to (ip netns exec NS uplink.sh ...).
set -euo pipefail

die() { echo "uplink: $*" >&2; exit 1; }

vsctl() { ovs-vsctl --timeout=10 --db="unix:$DIR/db.sock" "$@"; }

# Whether IPv6 is off on an interface (the sysctl is per namespace: /proc/sys/net is the caller's).
no_ipv6() { sysctl -q -w "net.ipv6.conf.$1.disable_ipv6=1" >/dev/null 2>&1 || true; }

# OVS makes an internal port's Linux device a moment after the database has it.
await_device() {
  for _ in $(seq 100); do ip link show "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done
  die "OVS did not create internal port $1 on bridge $BRIDGE (see $DIR/ovs-vswitchd.log)"
}

attach() {
  local mtu mac
  ip link show "$UPLINK" >/dev/null 2>&1 || die "no interface $UPLINK here"
  mtu=$(cat "/sys/class/net/$UPLINK/mtu")
  # The local port takes the uplink's MAC, as a Linux bridge would: the next hop's ARP entry for the
  # node's address stays right when OVS restarts and makes the port anew.
  mac=$(cat "/sys/class/net/$UPLINK/address")
  # Devices made later in this namespace (the local port when OVS restarts) start without IPv6 too.
  no_ipv6 default
  no_ipv6 "$UPLINK"
  ip addr flush dev "$UPLINK"
  ip link set "$UPLINK" up
  # mtu_request: OVS would otherwise give the internal port the smallest MTU on the bridge (the
  # hosts' overlay MTU), too small for the node's full-size underlay datagrams.
  vsctl -- --may-exist add-port "$BRIDGE" "$UPLINK" -- set interface "$UPLINK" mtu_request="$mtu" \
        -- --may-exist add-port "$BRIDGE" "$LOCALPORT" -- set interface "$LOCALPORT" type=internal mtu_request="$mtu" \
           "mac=\"$mac\""
  await_device "$LOCALPORT"
  no_ipv6 "$LOCALPORT"
  ip link set "$LOCALPORT" up
  ip addr replace "$ADDR" dev "$LOCALPORT"
  ip route replace default via "$GATEWAY" dev "$LOCALPORT"
}

detach() {
  vsctl -- --if-exists del-port "$BRIDGE" "$LOCALPORT" -- --if-exists del-port "$BRIDGE" "$UPLINK"
  ip link show "$UPLINK" >/dev/null 2>&1 || die "no interface $UPLINK here"
  ip link set "$UPLINK" up
  ip addr replace "$ADDR" dev "$UPLINK"
  ip route replace default via "$GATEWAY" dev "$UPLINK"
}

cmd=${1:-}; shift || true
case "$cmd" in
  attach|detach)
    [ $# -eq 6 ] || die "usage: uplink.sh $cmd DIR BRIDGE UPLINK LOCALPORT ADDR/PREFIX GATEWAY"
    DIR=$1 BRIDGE=$2 UPLINK=$3 LOCALPORT=$4 ADDR=$5 GATEWAY=$6
    "$cmd" ;;
  -h|--help|help|"") sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$cmd' (see --help)" ;;
esac
