#!/bin/sh
# Applies a lease that busybox udhcpc obtained (udhcpc -s this-script): the address is added
# beside any the interface already has (lab hosts keep their static address), and the MTU the
# server gave (DHCP option 26) is set. udhcpc passes the lease in the environment: interface,
# ip, mask (prefix length) or subnet, mtu.
case "$1" in
  bound|renew)
    prefix=${mask:-}
    if [ -z "$prefix" ] && [ -n "${subnet:-}" ]; then
      prefix=0
      for octet in $(echo "$subnet" | tr . ' '); do
        while [ "$octet" -gt 0 ]; do prefix=$((prefix + (octet & 1))); octet=$((octet >> 1)); done
      done
    fi
    ip addr replace "$ip/${prefix:-32}" dev "$interface"
    if [ -n "${mtu:-}" ]; then ip link set dev "$interface" mtu "$mtu"; fi
    echo "lease $ip/${prefix:-32} mtu ${mtu:-none} server ${serverid:-?} time ${lease:-?}"
    ;;
  deconfig|leasefail|nak) ;;
esac
exit 0
