/**
 * DHCP on the site's bridge (RFC 2131): punt flows bring client messages to the controller and no
 * host, the server answers from a pool every site shares (the overlay's DHT) by PACKET_OUT out of
 * the asking port, and leases bind their hosts. {@link io.ringswitch.controller.dhcp.DhcpManager}
 * is the manager the switch channel talks to.
 */
package io.ringswitch.controller.dhcp;
