package io.ringswitch.overlay.api;

/**
 * One gateway as a client probes it (in {@link GatewayStatus#candidates}).
 *
 * @param site         its site name
 * @param address      its ring address
 * @param rttMillis    the round trip of its last answer, -1 before any
 * @param missedProbes probes in a row it did not answer
 * @param alive        whether it counts as answering
 * @param load         bytes a second, as its record says
 */
public record GatewayCandidate(String site, String address, long rttMillis, int missedProbes, boolean alive, long load) {
}
