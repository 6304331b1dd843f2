package io.ringswitch.overlay.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code ringswitch ping} found: the site the target resolved to and, per echo, how it went.
 *
 * @param target  what was asked for (a site name, ring address or host IP)
 * @param address the ring address it resolved to
 * @param replies one per echo, in order
 */
public record PingReport(String target, String address, List<Reply> replies) {

    /**
     * One echo.
     *
     * @param seq       1 for the first
     * @param way       {@code direct} (over a link of its own, {@code path} says udp or tcp), {@code relay}
     *                  (over a relayed link, {@code via} the relay), {@code ring} (routed over other nodes),
     *                  or {@code self}
     * @param path      the link's path when the request went over one ({@code udp:192.0.2.1:5800}), else null
     * @param via       the relay's ring address for {@code relay}, else null
     * @param hopsThere ring hops the request took (1 over a link)
     * @param hopsBack  ring hops the answer took
     * @param rttMillis the round trip, -1 without an answer
     * @param error     why no answer came; null when one did
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reply(int seq, String way, String path, String via, int hopsThere, int hopsBack, double rttMillis,
                        String error) {
    }
}
