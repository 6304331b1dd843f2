package io.ringswitch.overlay.ring.routing;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessageCodec;

/**
 * How routed messages and broadcasts prove their source: the source wraps each payload it sends
 * (with a signature by its certificate's key, on secure nodes) and the router unwraps it where it
 * is checked, at delivery for a routed message and at every hop for a broadcast, before anything
 * is handed to a payload handler or forwarded. The ring never sees a key: it only asks whether a
 * payload holds. {@link #NONE} on plaintext rings, where {@code from} is what the sender says.
 */
public interface SourceAuthentication {
    /**
     * The most any authentication adds to a payload: protocols fill routed messages up to
     * {@code RingMessageCodec.MAX_PROTOCOL_PAYLOAD}, and the codec takes this much more.
     */
    int MAX_OVERHEAD = RingMessageCodec.MAX_SOURCE_PROOF;


    /** The payload to route from {@code from} (this node) to {@code dst}: {@code payload}, wrapped. */
    byte[] signRouted(RingAddress from, RingAddress dst, int type, byte[] payload);

    /** The payload {@code from} sent, unwrapped; null when {@code from} did not send it (forged, altered, malformed). */
    byte[] openRouted(RingAddress from, RingAddress dst, int type, byte[] payload);

    /** The payload to broadcast from {@code origin} (this node) under {@code id}: {@code payload}, wrapped. */
    byte[] signBroadcast(RingAddress origin, long id, int type, byte[] payload);

    /** The payload {@code origin} broadcast under {@code id}, unwrapped; null when it did not. */
    byte[] openBroadcast(RingAddress origin, long id, int type, byte[] payload);

    /** Payloads as they are: for plaintext rings and the simulator. */
    SourceAuthentication NONE = new SourceAuthentication() {
        @Override
        public byte[] signRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
            return payload;
        }

        @Override
        public byte[] openRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
            return payload;
        }

        @Override
        public byte[] signBroadcast(RingAddress origin, long id, int type, byte[] payload) {
            return payload;
        }

        @Override
        public byte[] openBroadcast(RingAddress origin, long id, int type, byte[] payload) {
            return payload;
        }
    };
}
