/**
 * Hosts and ports: which MAC and addresses live on which local port ({@link
 * io.ringswitch.controller.hosts.HostManager}, fed by DHCP leases and by the site directory's word
 * on static addresses, which {@link io.ringswitch.controller.hosts.SourceClaims} asks for), and the ingress port security that follows from those bindings ({@link
 * io.ringswitch.controller.hosts.PortSecurity}, table PORT_SECURITY).
 */
package io.ringswitch.controller.hosts;
