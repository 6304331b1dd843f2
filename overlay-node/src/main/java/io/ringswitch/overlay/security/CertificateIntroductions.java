package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Which destinations of this node's routed messages have been sent its certificate, so that later
 * messages to them carry only the certificate's fingerprint ({@link SignedPayloadCodec}'s compact
 * form); and, as a receiver, the requests it makes of sources whose compact messages it cannot
 * check. A destination is introduced by the first message to it; a receiver that does not know
 * the certificate (it never got the first message, restarted, or let the certificate go) refuses
 * the message and asks the source ({@code PayloadTypes.NEED_CERTIFICATE}) to put the certificate
 * into its next message to that destination. The request is unsigned: a forged one only makes the
 * source send its certificate once more. A receiver asks a source at most once per
 * {@link #ASK_MILLIS}, so compact messages forged in a member's name do not make it send a stream
 * of requests. Both maps are bounded ({@link #KNOWN} entries, least recently used first). Confined
 * to the node's event loop.
 */
final class CertificateIntroductions {
    static final int KNOWN = 4096;
    /** A receiver asks one source for its certificate at most this often. */
    static final long ASK_MILLIS = 1000;

    private final BiConsumer<RingAddress, RingAddress> ask;
    private final LongSupplier clock;
    private final Map<RingAddress, Boolean> introduced = new BoundedMap<>(KNOWN, true);
    private final Map<RingAddress, Long> asked = new BoundedMap<>(KNOWN, true);

    /**
     * {@code ask}: sends a source (first) a request for its certificate, naming the destination
     * (second) of the message that could not be checked; {@code clock}: ms, for the rate of asking.
     */
    CertificateIntroductions(BiConsumer<RingAddress, RingAddress> ask, LongSupplier clock) {
        this.ask = ask;
        this.clock = clock;
    }

    /** Whether a message to {@code dst} must carry the certificate: the first one does, and marks dst introduced. */
    boolean certificateFor(RingAddress dst) {
        return introduced.put(dst, Boolean.TRUE) == null;
    }

    /** A receiver lacks the certificate for messages to {@code dst}: the next one carries it. */
    void forget(RingAddress dst) {
        introduced.remove(dst);
    }

    /** The certificate changed (renewed): every destination gets the new one with its next message. */
    void forgetAll() {
        introduced.clear();
    }

    /** Asks {@code source} for its certificate for messages to {@code dst}, unless it was asked within {@link #ASK_MILLIS}. */
    void askFor(RingAddress source, RingAddress dst) {
        long now = clock.getAsLong();
        Long last = asked.get(source);
        if (last != null && now - last < ASK_MILLIS) {
            return;
        }
        asked.put(source, now);
        ask.accept(source, dst);
    }
}
