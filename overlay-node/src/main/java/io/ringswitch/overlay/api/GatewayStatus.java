package io.ringswitch.overlay.api;

import java.util.List;

/**
 * The full tunnel's gateways as this node sees them: the {@code gateway} section of a
 * {@link NodeStatus}.
 *
 * @param role                 {@code gateway} (this site is one) or {@code client} (full tunnel)
 * @param chosen               the chosen gateway's site name, null while none answers (client)
 * @param candidates           the gateways that publish, as probed (client)
 * @param failovers            times the chosen gateway was given up for another or for none (client)
 * @param millisWithoutGateway time without a gateway since the node started, the current stretch included (client)
 * @param probesSent           probes sent to gateways (client)
 * @param repliesAccepted      probe answers that counted (client)
 * @param repliesRefused       probe answers refused: unknown gateway, wrong nonce, MAC or address unlike its record
 * @param recordsMalformed     values under the gateway key that were no gateway record, refused
 * @param probesAnswered       clients' probes this gateway answered (gateway)
 * @param load                 bytes a second through this gateway's port (gateway)
 */
public record GatewayStatus(String role, String chosen, List<GatewayCandidate> candidates, long failovers,
                            long millisWithoutGateway, long probesSent, long repliesAccepted, long repliesRefused,
                            long recordsMalformed, long probesAnswered, long load) {
}
