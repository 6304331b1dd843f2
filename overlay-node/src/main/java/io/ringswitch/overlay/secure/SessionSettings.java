package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.api.NatConfig;
import io.ringswitch.overlay.security.record.RecordCipher;
import java.util.concurrent.TimeUnit;

/**
 * The secure layer's timers and limits.
 *
 * @param rekeyAfterNanos    a session this old is renewed (WireGuard: 120 s)
 * @param rejectAfterNanos   a session this old is dropped (180 s)
 * @param rekeyAfterRecords  a sending key this used is renewed (AES-GCM: well below 2^24.5)
 * @param underLoadQueue     handshakes waiting that put the node under load (cookies asked)
 * @param cookiesAlways      ask every initiator for a cookie (tests)
 * @param handshakesPerSecond per source address, with bursts of {@code handshakeBurst}
 * @param records            the record cipher this node asks for
 * @param keepaliveNanos     a peer with a confirmed session that was sent nothing this long
 *                           gets a keepalive, so that NATs on the way keep its mapping
 *                           ({@code nat.keepaliveSeconds}, 15 s)
 */
public record SessionSettings(long rekeyAfterNanos, long rejectAfterNanos, long rekeyAfterRecords, int underLoadQueue,
                       boolean cookiesAlways, double handshakesPerSecond, double handshakeBurst,
                       RecordCipher.Aead records, long keepaliveNanos) {
    public static SessionSettings defaults() {
        return new SessionSettings(120_000_000_000L, 180_000_000_000L, RecordCipher.MAX_RECORDS - (1 << 20),
                Handshaker.QUEUE / 8, false, 20, 5, RecordCipher.Aead.preferred(), 15_000_000_000L);
    }

    /** The defaults with the keepalive interval of a node's {@code nat} settings. */
    public static SessionSettings of(NatConfig nat) {
        SessionSettings d = defaults();
        return nat == null || nat.keepaliveSeconds() == null ? d
                : d.withKeepalive(TimeUnit.SECONDS.toNanos(nat.keepaliveSeconds()));
    }

    public SessionSettings withRecords(RecordCipher.Aead aead) {
        return new SessionSettings(rekeyAfterNanos, rejectAfterNanos, rekeyAfterRecords, underLoadQueue, cookiesAlways,
                handshakesPerSecond, handshakeBurst, aead, keepaliveNanos);
    }

    public SessionSettings withKeepalive(long nanos) {
        return new SessionSettings(rekeyAfterNanos, rejectAfterNanos, rekeyAfterRecords, underLoadQueue, cookiesAlways,
                handshakesPerSecond, handshakeBurst, records, nanos);
    }
}
