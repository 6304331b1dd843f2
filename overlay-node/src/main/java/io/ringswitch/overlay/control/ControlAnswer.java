package io.ringswitch.overlay.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ringswitch.overlay.api.NodeStatus;

/**
 * The answer to one {@link ControlRequest}, one JSON object on one line: {@code ok} with the
 * status or the ping's report, or not {@code ok} with the error in words.
 *
 * @param ok     whether the request was understood and answered
 * @param error  what was wrong with the request, or why it could not be answered; null when ok
 * @param status the node's status, for {@code status}
 * @param ping   the ping's report, for {@code ping}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlAnswer(boolean ok, String error, NodeStatus status, PingReport ping) {
    public static ControlAnswer of(NodeStatus status) {
        return new ControlAnswer(true, null, status, null);
    }

    public static ControlAnswer of(PingReport ping) {
        return new ControlAnswer(true, null, null, ping);
    }

    public static ControlAnswer error(String error) {
        return new ControlAnswer(false, error, null, null);
    }
}
