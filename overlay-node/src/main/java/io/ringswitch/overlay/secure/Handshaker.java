package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.noise.NoiseException;
import io.ringswitch.overlay.security.noise.XxHandshake;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs the link handshakes (Noise_XX_25519_AESGCM_SHA256 with certificates, see
 * {@link LinkCredentials}) on a thread of their own, so that their X25519 and Ed25519 work (about
 * half a millisecond a handshake) never holds up frames on the event loop. The loop hands work in
 * through a bounded queue (a full queue refuses it, and a long one tells the loop to ask for
 * cookies); results go back through {@link Results}. The handshake states are confined to this
 * thread and forgotten after {@link #STATE_NANOS}.
 */
final class Handshaker implements AutoCloseable {
    static final int QUEUE = 128;
    static final long STATE_NANOS = 10_000_000_000L;
    static final int MAX_STATES = 1024;
    static final byte[] PROLOGUE = "RingSwitch link v1".getBytes(StandardCharsets.US_ASCII);

    /** Where results go; called on the handshake thread. */
    interface Results {
        void established(Established session);

        /** A handshake refused; {@code localIndex} is its index, 0 when it had none yet. */
        void refused(PeerPath from, int localIndex, String peer, String reason, String detail);

        /** Sends a handshake datagram (thread-safe). */
        void send(ByteBuf datagram, PeerPath to);
    }

    /**
     * A completed handshake: the peer's verified certificate, this side's transport keys, and
     * when the certificate this side proved in it ends ({@code provedUntil}).
     */
    record Established(PeerPath path, NodeCertificate peer, int localIndex, int remoteIndex,
                       XxHandshake.TransportKeys keys, boolean initiator, RecordCipher.Aead aead, Instant provedUntil) {
    }

    private static final class State {
        final XxHandshake handshake;
        final PeerPath peer;
        final long created;
        final boolean initiator;
        /** The responder's: the initiator's index. The initiator's: message 1, to repeat. */
        final int remoteIndex;
        /** The initiator's: the ring address the responder must prove, or null for any member. */
        RingAddress expected;
        byte[] init;
        /** The responder's: when the certificate it proved in message 2 ends. */
        Instant provedUntil;
        byte[] cookie = new byte[HandshakeCodec.COOKIE];

        State(XxHandshake handshake, PeerPath peer, long created, boolean initiator, int remoteIndex) {
            this.handshake = handshake;
            this.peer = peer;
            this.created = created;
            this.initiator = initiator;
            this.remoteIndex = remoteIndex;
        }
    }

    private final ThreadPoolExecutor thread;
    private final byte[] staticPrivate;
    private final LinkCredentials credentials;
    private final Indexes indexes;
    private final Results results;
    private final LongSupplier nanos;
    private final Supplier<Instant> wallClock;
    private final Supplier<byte[]> ephemerals;
    private final int initPadding;
    private final int responseLength;
    private final Map<Integer, State> states = new LinkedHashMap<>();
    /** How many handshake states are held, as the event loop may read it. */
    private volatile int held;

    Handshaker(byte[] staticPrivate, LinkCredentials credentials, Indexes indexes, Results results, SecureRandom random,
               LongSupplier nanos, Supplier<Instant> wallClock) {
        this.staticPrivate = staticPrivate;
        this.credentials = credentials;
        this.indexes = indexes;
        this.results = results;
        this.nanos = nanos;
        this.wallClock = wallClock;
        this.ephemerals = () -> XxHandshake.newPrivateKey(random);
        // Message 2 carries a certificate; message 1 is padded to be larger, so that answering it
        // sends no more than it received (no amplification), with room for peers' larger names.
        this.responseLength = 8 + 2 * HandshakeCodec.INDEX + HandshakeCodec.KEY + HandshakeCodec.KEY + HandshakeCodec.TAG
                + credentials.payloadLength() + HandshakeCodec.TAG;
        this.initPadding = responseLength + 64 - (8 + HandshakeCodec.INDEX + HandshakeCodec.COOKIE + HandshakeCodec.KEY);
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "link-handshake");
            t.setDaemon(true);
            return t;
        });
    }

    /** Bytes of this node's message 2: a message 1 shorter than this needs a cookie first. */
    int responseLength() {
        return responseLength;
    }

    /**
     * Handshake states held now (read from the event loop, written by the handshake thread after
     * each step): a table a quarter full makes the gate ask every initiator for a cookie first.
     */
    int held() {
        return held;
    }

    /** Work waiting for the handshake thread. */
    int queued() {
        return thread.getQueue().size();
    }

    /**
     * Runs {@code then} on the handshake thread after the work handed to it so far, for tests that
     * must know a handshake message was handled (its results handed to the event loop) instead of
     * waiting for a window of real time; false when the queue is full.
     */
    boolean afterQueued(Runnable then) {
        try {
            thread.execute(then);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Starts a handshake to {@code to} under {@code localIndex}, whose responder must prove the
     * certificate of {@code expected} (null: any member's); false when the queue is full.
     */
    boolean initiate(PeerPath to, int localIndex, RingAddress expected) {
        return submit(() -> {
            State s = new State(new XxHandshake(XxHandshake.Role.INITIATOR, staticPrivate, PROLOGUE, ephemerals), to,
                    nanos.getAsLong(), true, 0);
            s.expected = expected;
            s.init = s.handshake.writeMessage(new byte[initPadding]);
            states.put(localIndex, s);
            sendInit(localIndex, s);
        }, to, localIndex);
    }

    /** Repeats message 1 of {@code localIndex}, with {@code cookie} when one came. */
    boolean resend(int localIndex, byte[] cookie) {
        return submit(() -> {
            State s = states.get(localIndex);
            if (s == null || !s.initiator || s.handshake.complete()) {
                return;
            }
            if (cookie != null) {
                s.cookie = cookie.clone();
            }
            sendInit(localIndex, s);
        }, null, localIndex);
    }

    /** Answers a message 1 (already past the rate limit and, under load, the cookie). */
    boolean respond(PeerPath from, HandshakeCodec.Init m) {
        return submit(() -> {
            if (states.size() >= MAX_STATES) {
                results.refused(from, 0, null, "queue-full", "too many handshakes in progress");
                return;
            }
            XxHandshake hs = new XxHandshake(XxHandshake.Role.RESPONDER, staticPrivate, PROLOGUE, ephemerals);
            hs.readMessage(m.noise());
            int local = indexes.allocate();
            LinkCredentials.Proof proof = credentials.proof();
            byte[] noise = hs.writeMessage(proof.payload());
            State state = new State(hs, from, nanos.getAsLong(), false, m.sender());
            state.provedUntil = proof.notAfter();
            states.put(local, state);
            results.send(HandshakeCodec.encode(new HandshakeCodec.Response(local, m.sender(), noise)), from);
        }, from, 0);
    }

    /** The initiator's side of message 2: check the responder, answer with message 3. */
    boolean finish(PeerPath from, HandshakeCodec.Response m) {
        return submit(() -> {
            State s = states.get(m.receiver());
            if (s == null || !s.initiator || !s.peer.equals(from) || s.handshake.complete()) {
                return;
            }
            states.remove(m.receiver());
            byte[] payload = s.handshake.readMessage(m.noise());
            LinkCredentials.Verified peer = check(from, m.receiver(), payload, s.handshake.remoteStatic());
            if (peer == null) {
                return;
            }
            // A valid member, but not the one this node meant to reach on this path: no message 3.
            if (s.expected != null && !s.expected.equals(peer.certificate().address())) {
                results.refused(from, m.receiver(), peer.certificate().name(), "responder-not-peer",
                        "meant for " + s.expected.shortString() + ", the certificate is "
                                + peer.certificate().address().shortString());
                return;
            }
            LinkCredentials.Proof proof = credentials.proof();
            byte[] noise = s.handshake.writeMessage(proof.payload());
            results.send(HandshakeCodec.encode(new HandshakeCodec.Finish(m.sender(), noise)), from);
            results.established(new Established(from, peer.certificate(), m.receiver(), m.sender(), s.handshake.splitKeys(),
                    true, peer.aead(), proof.notAfter()));
        }, from, m.receiver());
    }

    /** The responder's side of message 3: check the initiator; the session is made. */
    boolean complete(PeerPath from, HandshakeCodec.Finish m) {
        return submit(() -> {
            State s = states.get(m.receiver());
            if (s == null || s.initiator || !s.peer.equals(from)) {
                return;
            }
            states.remove(m.receiver());
            byte[] payload;
            try {
                payload = s.handshake.readMessage(m.noise());
            } catch (NoiseException e) {
                indexes.release(m.receiver());
                throw e;
            }
            LinkCredentials.Verified peer = check(from, m.receiver(), payload, s.handshake.remoteStatic());
            if (peer == null) {
                indexes.release(m.receiver());
                return;
            }
            results.established(new Established(from, peer.certificate(), m.receiver(), s.remoteIndex,
                    s.handshake.splitKeys(), false, peer.aead(), s.provedUntil));
        }, from, m.receiver());
    }

    private LinkCredentials.Verified check(PeerPath from, int localIndex, byte[] payload, byte[] remoteStatic) {
        LinkCredentials.Verified peer;
        try {
            peer = credentials.check(payload, remoteStatic, wallClock.get());
        } catch (LinkCredentials.Refused r) {
            results.refused(from, localIndex, r.peer, r.reason, r.getMessage());
            return null;
        }
        // Through a relay, the relay names the far end: the certificate must be that end's.
        if (from instanceof PeerPath.Relay relay && !relay.peer().equals(peer.certificate().address())) {
            results.refused(from, localIndex, peer.certificate().name(), "relay-origin-mismatch",
                    "the relay named " + relay.peer().shortString());
            return null;
        }
        // Over the ring, the routed message named its source: the certificate must be that site's.
        if (from instanceof PeerPath.Routed ring && !ring.peer().equals(peer.certificate().address())) {
            results.refused(from, localIndex, peer.certificate().name(), "routed-origin-mismatch",
                    "the routed message named " + ring.peer().shortString());
            return null;
        }
        return peer;
    }

    private void sendInit(int localIndex, State s) {
        results.send(HandshakeCodec.encode(new HandshakeCodec.Init(localIndex, s.cookie, s.init)), s.peer);
    }

    private interface Step {
        void run() throws NoiseException;
    }

    private boolean submit(Step step, PeerPath from, int localIndex) {
        try {
            thread.execute(() -> {
                expire();
                try {
                    step.run();
                } catch (NoiseException | RuntimeException e) {
                    results.refused(from, localIndex, null, "handshake-failed", e.getMessage());
                } finally {
                    held = states.size();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Forgets handshakes older than {@link #STATE_NANOS}; a responder's index is freed with it. */
    private void expire() {
        long now = nanos.getAsLong();
        for (Iterator<Map.Entry<Integer, State>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, State> e = it.next();
            if (now - e.getValue().created < STATE_NANOS) {
                break;
            }
            if (!e.getValue().initiator) {
                indexes.release(e.getKey());
            }
            it.remove();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
