package io.ringswitch.overlay.group;

/**
 * A request the group server refuses: {@code reason} names the counter it adds to, the message
 * says what was wrong in words the person or node that sent it can act on.
 */
final class GroupRefusal extends Exception {
    private final String reason;
    private final boolean answered;

    public GroupRefusal(String reason, String message) {
        this(reason, message, false);
    }

    private GroupRefusal(String reason, String message, boolean answered) {
        super(message);
        this.reason = reason;
        this.answered = answered;
    }

    /** The same refusal, marked as answered already (a page was sent): the server only counts it. */
    GroupRefusal answered() {
        return new GroupRefusal(reason, getMessage(), true);
    }

    boolean isAnswered() {
        return answered;
    }

    /** The counter's name, e.g. {@code token-used}. */
    public String reason() {
        return reason;
    }
}
