/**
 * The full tunnel's gateways on the ring (issue 17): a gateway site publishes its record in the
 * DHT ({@link io.ringswitch.overlay.gateway.GatewayPublisher}) and answers probes; a client in full
 * mode reads the records, probes the gateways over the ring and keeps one while it answers
 * ({@link io.ringswitch.overlay.gateway.GatewayChooser}), which the switch controller steers to.
 * Everything here runs on the node's event loop on the injected clock; no Netty, no wall clock
 * for timing.
 */
package io.ringswitch.overlay.gateway;
