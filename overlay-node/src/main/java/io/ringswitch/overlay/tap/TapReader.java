package io.ringswitch.overlay.tap;

/**
 * How the TAP device's frames reach the node's event loop: read on the loop itself (native epoll)
 * or by a thread of their own that hands them over (any other transport).
 */
interface TapReader extends AutoCloseable {
    /** {@code event-loop} or {@code thread}, for logs. */
    String mode();

    /** Times the reader left frames waiting so that the event loop could serve others. */
    long stalls();

    /** Stops reading; frames read and not yet handed over are released. */
    @Override
    void close();
}
