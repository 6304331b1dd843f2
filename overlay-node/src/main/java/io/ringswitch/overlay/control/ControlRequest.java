package io.ringswitch.overlay.control;

/**
 * One request on the control socket, one JSON object on one line: {@code {"op":"status"}} or
 * {@code {"op":"ping","target":"site2","count":3}}. Unknown fields are refused.
 *
 * @param op     {@code status} or {@code ping}
 * @param target for a ping: a site name, a ring address (40 hex digits) or a host's IP address
 * @param count  for a ping: how many echoes, 1 to {@value #MAX_COUNT} (default 1)
 */
public record ControlRequest(String op, String target, Integer count) {
    /** The most echoes one ping request may ask for. */
    public static final int MAX_COUNT = 100;

    public static ControlRequest status() {
        return new ControlRequest("status", null, null);
    }

    public static ControlRequest ping(String target, int count) {
        return new ControlRequest("ping", target, count);
    }
}
