#!/usr/bin/env bash
# Start, stop and configure one Open vSwitch instance (ovsdb-server + ovs-vswitchd) that lives in
# its own run directory, so that several can run on one machine (one per network namespace).
#
#   ovs-instance.sh start DIR                      start the instance (idempotent)
#   ovs-instance.sh stop DIR                       stop it and remove its datapath devices
#   ovs-instance.sh bridge DIR BRIDGE CONTROLLER   create BRIDGE (fail-mode secure, OpenFlow 1.3);
#                                                  CONTROLLER unix:PATH (the node's socket, owner-only)
#                                                  or tcp:127.0.0.1:PORT; any other tcp: is refused
#   ovs-instance.sh add-port DIR BRIDGE PORT       add a port (idempotent)
#   ovs-instance.sh del-port DIR BRIDGE PORT       remove a port (idempotent)
#   ovs-instance.sh datapath                       print the datapath type this machine supports
#   ovs-instance.sh status DIR                     print whether the instance runs
#
# Kernel datapath where the openvswitch module is loaded or loadable, userspace (netdev) otherwise.
# Run it inside the namespace the instance belongs to (ip netns exec NS ovs-instance.sh ...).
set -euo pipefail

die() { echo "ovs-instance: $*" >&2; exit 1; }

need_ovs() {
  command -v ovsdb-server >/dev/null && command -v ovs-vswitchd >/dev/null \
    || die "Open vSwitch is not installed: apt-get install openvswitch-switch (./ringswitch test and demo do this)"
}

schema() {
  for s in /usr/share/openvswitch/vswitch.ovsschema /usr/local/share/openvswitch/vswitch.ovsschema; do
    [ -f "$s" ] && { echo "$s"; return; }
  done
  die "vswitch.ovsschema not found"
}

datapath() {
  if [ -d /sys/module/openvswitch ] || modprobe -q openvswitch 2>/dev/null; then echo system; else echo netdev; fi
}

env_for() {
  export OVS_RUNDIR="$1" OVS_LOGDIR="$1" OVS_DBDIR="$1" OVS_SYSCONFDIR="$1"
}

vsctl() { ovs-vsctl --timeout=10 --db="unix:$DIR/db.sock" "$@"; }

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  need_ovs
  mkdir -p "$DIR"
  env_for "$DIR"
  [ -f "$DIR/conf.db" ] || ovsdb-tool create "$DIR/conf.db" "$(schema)"
  if ! running "$DIR/ovsdb-server.pid"; then
    ovsdb-server "$DIR/conf.db" --remote="punix:$DIR/db.sock" --pidfile="$DIR/ovsdb-server.pid" \
      --unixctl="$DIR/ovsdb-server.ctl" --log-file="$DIR/ovsdb-server.log" --detach --no-chdir
  fi
  vsctl --no-wait init
  # The userspace datapath passes TCP super-frames (TSO) between its ports only when told so
  # before ovs-vswitchd starts; RingSwitch's overlay port takes them (OVS_TSO=false turns it off).
  if [ "$(datapath)" = netdev ]; then
    vsctl --no-wait set Open_vSwitch . other_config:userspace-tso-enable="${OVS_TSO:-true}"
  fi
  if ! running "$DIR/ovs-vswitchd.pid"; then
    ovs-vswitchd "unix:$DIR/db.sock" --pidfile="$DIR/ovs-vswitchd.pid" --unixctl="$DIR/ovs-vswitchd.ctl" \
      --log-file="$DIR/ovs-vswitchd.log" --detach --no-chdir
  fi
}

stop() {
  env_for "$DIR"
  if running "$DIR/ovs-vswitchd.pid"; then
    ovs-appctl -t "$DIR/ovs-vswitchd.ctl" exit --cleanup 2>/dev/null || kill "$(cat "$DIR/ovs-vswitchd.pid")" 2>/dev/null || true
  fi
  if running "$DIR/ovsdb-server.pid"; then
    ovs-appctl -t "$DIR/ovsdb-server.ctl" exit 2>/dev/null || kill "$(cat "$DIR/ovsdb-server.pid")" 2>/dev/null || true
  fi
  for p in ovs-vswitchd ovsdb-server; do
    for _ in $(seq 50); do running "$DIR/$p.pid" || break; sleep 0.1; done
    if running "$DIR/$p.pid"; then kill -9 "$(cat "$DIR/$p.pid")" 2>/dev/null || true; fi
  done
}

bridge() {
  local br=$1 ctl=$2 dp
  case "$ctl" in
    unix:/*|tcp:127.*|tcp:\[::1\]:*) ;;
    *) die "controller '$ctl': use unix:/PATH or a loopback tcp: target (anyone who reaches another could take the bridge)" ;;
  esac
  dp=$(datapath)
  vsctl -- --may-exist add-br "$br" -- set bridge "$br" datapath_type="$dp" \
    fail-mode=secure protocols=OpenFlow13 other-config:disable-in-band=true \
    -- set-controller "$br" "$ctl" \
    -- set controller "$br" inactivity_probe=5000 max_backoff=1000
}

cmd=${1:-}; shift || true
case "$cmd" in
  start)    DIR=${1:?DIR}; start ;;
  stop)     DIR=${1:?DIR}; stop ;;
  bridge)   DIR=${1:?DIR}; bridge "${2:?BRIDGE}" "${3:?CONTROLLER}" ;;
  add-port) DIR=${1:?DIR}; vsctl -- --may-exist add-port "${2:?BRIDGE}" "${3:?PORT}" ;;
  del-port) DIR=${1:?DIR}; vsctl -- --if-exists del-port "${2:?BRIDGE}" "${3:?PORT}" ;;
  datapath) datapath ;;
  status)   DIR=${1:?DIR}; for p in ovsdb-server ovs-vswitchd; do
              if running "$DIR/$p.pid"; then echo "$p running (pid $(cat "$DIR/$p.pid"))"; else echo "$p stopped"; fi
            done ;;
  -h|--help|help|"") sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$cmd' (see --help)" ;;
esac
