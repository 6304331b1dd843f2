#!/usr/bin/env bash
# The Linux side of a RingSwitch gateway site (issue 17): the gateway port on the bridge, IPv4
# forwarding, and one nftables table of its own (ringswitch_gw) that masquerades the VPN out of the
# uplink, sends DNS addressed to the gateway port on to the resolver, and forwards nothing but
# VPN -> uplink and what answers it. With ADDRESS6 and VPN6 (a gateway that carries IPv6) the port
# also gets ADDRESS6, IPv6 forwarding is turned on, and a second table (ip6 ringswitch_gw6, in the
# same nft transaction) masquerades VPN6 out of the uplink (NAT66) with the same forwarding rules.
# The node runs it at start and stop; both are idempotent.
#
#   gateway.sh [--db DB] up   BRIDGE PORT MAC ADDRESS/PREFIX UPLINK RESOLVER VPNSUBNET [ADDRESS6/PREFIX VPN6]
#   gateway.sh [--db DB] down BRIDGE PORT MAC ADDRESS/PREFIX UPLINK RESOLVER VPNSUBNET [ADDRESS6/PREFIX VPN6]
#
# DB: the OVS database (e.g. unix:/run/ringswitch/site1/db.sock); the system's when left out.
# Run it in the namespace of the bridge's ovs-vswitchd (ip netns exec NS gateway.sh ...).
set -euo pipefail

die() { echo "gateway: $*" >&2; exit 1; }

DB=
if [ "${1:-}" = --db ]; then DB=$2; shift 2; fi
[ $# -eq 8 ] || [ $# -eq 10 ] || die "usage: gateway.sh [--db DB] up|down BRIDGE PORT MAC ADDRESS/PREFIX UPLINK RESOLVER VPNSUBNET [ADDRESS6/PREFIX VPN6]"
VERB=$1 BRIDGE=$2 PORT=$3 MAC=$4 ADDRESS=$5 UPLINK=$6 RESOLVER=$7 VPN=$8 ADDRESS6=${9:-} VPN6=${10:-}
IP=${ADDRESS%/*}
TABLE=ringswitch_gw
TABLE6=ringswitch_gw6

vsctl() {
  if [ -n "$DB" ]; then ovs-vsctl --timeout=10 --db="$DB" "$@"; else ovs-vsctl --timeout=10 "$@"; fi
}

up() {
  command -v nft >/dev/null || die "nft not found: apt-get install nftables"
  command -v ovs-vsctl >/dev/null || die "ovs-vsctl not found: apt-get install openvswitch-switch"
  ip link show "$UPLINK" >/dev/null 2>&1 || die "uplink $UPLINK does not exist in this namespace"
  # The port: internal, with the MAC the gateway record names (set again if it was there).
  vsctl --may-exist add-port "$BRIDGE" "$PORT" -- set Interface "$PORT" type=internal "mac=\"$MAC\""
  for _ in $(seq 50); do ip link show "$PORT" >/dev/null 2>&1 && break; sleep 0.1; done
  ip link show "$PORT" >/dev/null 2>&1 || die "port $PORT did not appear as an interface (is ovs-vswitchd running in this namespace?)"
  ip link set "$PORT" address "$MAC"
  ip addr replace "$ADDRESS" dev "$PORT"
  if [ -n "$ADDRESS6" ]; then
    # Before the address: forwarding on, so that the kernel takes the port's routes as a router's.
    sysctl -qw net.ipv6.conf.all.forwarding=1
    sysctl -qw "net.ipv6.conf.$PORT.disable_ipv6=0"
    ip -6 addr replace "$ADDRESS6" dev "$PORT" nodad
  else
    ip -6 addr flush dev "$PORT" scope global 2>/dev/null || true
  fi
  ip link set "$PORT" up
  sysctl -qw net.ipv4.ip_forward=1
  # The tables are replaced whole: deleting and adding them in one nft transaction leaves no gap.
  local delete= delete6= table6=
  nft list table ip "$TABLE" >/dev/null 2>&1 && delete="delete table ip $TABLE"
  nft list table ip6 "$TABLE6" >/dev/null 2>&1 && delete6="delete table ip6 $TABLE6"
  if [ -n "$VPN6" ]; then
    table6="table ip6 $TABLE6 {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip6 saddr $VPN6 oifname \"$UPLINK\" masquerade
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname \"$PORT\" ip6 saddr $VPN6 oifname \"$UPLINK\" accept
    iifname \"$UPLINK\" oifname \"$PORT\" ct state established,related accept
    iifname \"$PORT\" drop
    oifname \"$PORT\" drop
  }
}"
  fi
  nft -f - <<NFT
$delete
$delete6
$table6
table ip $TABLE {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "$PORT" ip saddr $VPN ip daddr $IP udp dport 53 dnat to $RESOLVER
    iifname "$PORT" ip saddr $VPN ip daddr $IP tcp dport 53 dnat to $RESOLVER
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr $VPN oifname "$UPLINK" masquerade
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "$PORT" ip saddr $VPN oifname "$UPLINK" accept
    iifname "$UPLINK" oifname "$PORT" ct state established,related accept
    iifname "$PORT" drop
    oifname "$PORT" drop
  }
}
NFT
}

down() {
  nft list table ip "$TABLE" >/dev/null 2>&1 && nft delete table ip "$TABLE"
  nft list table ip6 "$TABLE6" >/dev/null 2>&1 && nft delete table ip6 "$TABLE6"
  vsctl --if-exists del-port "$BRIDGE" "$PORT"
  # ip_forward and IPv6 forwarding stay as they are: other things in the namespace may need them.
  return 0
}

case "$VERB" in
  up) up ;;
  down) down ;;
  *) die "unknown command $VERB (up or down)" ;;
esac
