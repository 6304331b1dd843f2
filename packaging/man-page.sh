#!/usr/bin/env bash
# Writes the man page ringswitch(8) (roff, on stdout) for the installed package: a hand-written
# frame around the --help text of every command the package runs, taken from the command line
# itself so that the page and the options cannot drift apart.
#
#   packaging/man-page.sh CLASSPATH VERSION DATE
set -euo pipefail

CP=${1:?CLASSPATH}
VERSION=${2:?VERSION}
DATE=${3:?DATE}
# The commands a host runs; the lab's (demo, lab, bench, sim, crawl) are not installed.
COMMANDS=("node" "enrol" "revoke" "ca init" "ca issue" "ca show" "group-server")

# roff: a backslash is \e; a line starting with . or ' would be a request, so it gets \& first.
escape() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/^-/\\-/' ; }

cat <<ROFF
.TH RINGSWITCH 8 "$DATE" "ringswitch $VERSION" "System Administration"
.SH NAME
ringswitch \- peer-to-peer layer-2 VPN for Open vSwitch bridges
.SH SYNOPSIS
.B ringswitch node \-\-config
.I /etc/ringswitch/SITE.yaml
.br
.B systemctl enable \-\-now ringswitch@\c
.I SITE
.br
.B ringswitch
.I command
.RI [ options ]
.SH DESCRIPTION
RingSwitch joins the Open vSwitch bridges of many sites into one Ethernet segment. Each site runs
one node: an OpenFlow 1.3 controller of the local bridge, and an overlay port (a TAP device on the
bridge) whose frames it carries over a structured peer-to-peer ring to the other sites, on links
authenticated by certificates of the group's certificate authority and encrypted.
.PP
The node of site
.I SITE
runs as the systemd unit
.BR ringswitch@SITE.service ,
which starts
.B ringswitch node \-\-config /etc/ringswitch/SITE.yaml
and restarts it when it fails. The bridge must run in secure fail mode with OpenFlow 1.3 and use the
node's socket as its controller (see
.BR /etc/ringswitch/README ).
.PP
The commands of the lab (demo, lab, bench, sim, crawl) need a RingSwitch checkout and are refused
by the installed command.
.SH COMMANDS
ROFF
for c in "${COMMANDS[@]}"; do
  # shellcheck disable=SC2086
  help=$(java -XX:TieredStopAtLevel=1 -cp "$CP" io.ringswitch.topology.cli.RingSwitchCli $c --help 2>&1) \
    || { echo "man-page: ringswitch $c --help failed: $help" >&2; exit 1; }
  printf '.SS ringswitch %s\n.nf\n' "$c"
  printf '%s\n' "$help" | escape
  printf '.fi\n'
done
cat <<'ROFF'
.SH FILES
.TP
.I /etc/ringswitch/SITE.yaml
The configuration of site SITE's node (a template: /etc/ringswitch/example.yaml).
.TP
.I /var/lib/ringswitch/SITE/
The node's key, certificate and the group's CA certificate, its status file and what it keeps
between starts; with /run/openvswitch, the only place the unit may write.
.TP
.I /lib/systemd/system/ringswitch@.service
The unit. Its capabilities: CAP_NET_ADMIN only; with the userspace datapath, add CAP_SYS_PTRACE in a
drop-in so that the node can enlarge ovs-vswitchd's packet socket buffers.
.TP
.I /var/run/openvswitch/ringswitch\-SITE/controller.sock
The node's OpenFlow socket, which the bridge dials: ovs\-vswitchd dials unix: controllers inside its run
directory only.
.SH EXIT STATUS
.B ringswitch node
exits 0 when stopped by SIGTERM or SIGINT, 2 for a configuration it refuses (the log names the
field), and 1 when it cannot start (the log says why).
.SH EXAMPLES
.nf
ovs-vsctl \-\-may\-exist add\-br br0 \-\- set bridge br0 datapath_type=system \e
    fail\-mode=secure protocols=OpenFlow13 other\-config:disable\-in\-band=true \e
    \-\- set\-controller br0 unix:/var/run/openvswitch/ringswitch\-site1/controller.sock
cp /etc/ringswitch/example.yaml /etc/ringswitch/site1.yaml
systemctl enable \-\-now ringswitch@site1
journalctl \-u ringswitch@site1 \-f
.fi
.SH SEE ALSO
.BR ovs\-vsctl (8),
.BR systemctl (1),
.BR journalctl (1)
ROFF
