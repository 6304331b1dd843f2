package io.ringswitch.overlay.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Noise XX against the published cacophony vectors, and against forged, tampered and random input. */
class XxHandshakeTest {
    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode vector() throws Exception {
        try (InputStream in = XxHandshakeTest.class.getResourceAsStream("/noise/xx-25519-aesgcm-sha256.json")) {
            return new ObjectMapper().readTree(in).path("vectors").get(0);
        }
    }

    private static byte[] hex(JsonNode v, String field) {
        return HEX.parseHex(v.path(field).asText());
    }

    @Test
    void theCacophonyVectorIsReproducedByteForByte() throws Exception {
        JsonNode v = vector();
        assertEquals(XxHandshake.PROTOCOL, v.path("protocol_name").asText());
        XxHandshake init = new XxHandshake(XxHandshake.Role.INITIATOR, hex(v, "init_static"), hex(v, "init_prologue"),
                () -> hex(v, "init_ephemeral"));
        XxHandshake resp = new XxHandshake(XxHandshake.Role.RESPONDER, hex(v, "resp_static"), hex(v, "resp_prologue"),
                () -> hex(v, "resp_ephemeral"));
        JsonNode messages = v.path("messages");
        XxHandshake.Transport ti = null;
        XxHandshake.Transport tr = null;
        for (int i = 0; i < messages.size(); i++) {
            byte[] payload = hex(messages.get(i), "payload");
            byte[] expected = hex(messages.get(i), "ciphertext");
            boolean fromInitiator = i % 2 == 0;
            if (i < 3) {
                XxHandshake writer = fromInitiator ? init : resp;
                XxHandshake reader = fromInitiator ? resp : init;
                byte[] sent = writer.writeMessage(payload);
                assertArrayEquals(expected, sent, "handshake message " + i);
                assertArrayEquals(payload, reader.readMessage(sent));
                if (i == 2) {
                    assertArrayEquals(hex(v, "handshake_hash"), init.handshakeHash());
                    assertArrayEquals(init.handshakeHash(), resp.handshakeHash());
                    ti = init.split();
                    tr = resp.split();
                }
            } else {
                CipherState send = fromInitiator ? ti.send() : tr.send();
                CipherState receive = fromInitiator ? tr.receive() : ti.receive();
                byte[] sent = send.encryptWithAd(new byte[0], payload);
                assertArrayEquals(expected, sent, "transport message " + i);
                assertArrayEquals(payload, receive.decryptWithAd(new byte[0], sent));
            }
        }
        assertArrayEquals(hex(v, "resp_static"), privateOf(hex(v, "resp_static"), init.remoteStatic()));
    }

    /** The remote static key the initiator learnt is the responder's public key. */
    private static byte[] privateOf(byte[] privateKey, byte[] learntPublic) {
        assertArrayEquals(XxHandshake.publicKey(privateKey), learntPublic);
        return privateKey;
    }

    private static XxHandshake[] fresh(SecureRandom random) {
        return new XxHandshake[] {
            new XxHandshake(XxHandshake.Role.INITIATOR, XxHandshake.newPrivateKey(random), new byte[0],
                    () -> XxHandshake.newPrivateKey(random)),
            new XxHandshake(XxHandshake.Role.RESPONDER, XxHandshake.newPrivateKey(random), new byte[0],
                    () -> XxHandshake.newPrivateKey(random))};
    }

    @Test
    void aTamperedSecondOrThirdMessageDoesNotAuthenticate() throws Exception {
        SecureRandom random = new SecureRandom();
        for (int flipAt = 0; flipAt < 2; flipAt++) {
            XxHandshake[] hs = fresh(random);
            hs[1].readMessage(hs[0].writeMessage(new byte[0]));
            byte[] m2 = hs[1].writeMessage("cert".getBytes());
            if (flipAt == 0) {
                m2[40] ^= 1;
                XxHandshake init = hs[0];
                assertThrows(NoiseException.class, () -> init.readMessage(m2));
            } else {
                hs[0].readMessage(m2);
                byte[] m3 = hs[0].writeMessage("cert".getBytes());
                m3[m3.length - 1] ^= 1;
                XxHandshake resp = hs[1];
                assertThrows(NoiseException.class, () -> resp.readMessage(m3));
            }
        }
    }

    @Test
    void seededRandomAndMutatedMessagesNeverThrowAnythingButNoiseException() throws Exception {
        Random seeded = new Random(8);
        SecureRandom random = new SecureRandom();
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            XxHandshake[] hs = fresh(random);
            byte[] m1 = hs[0].writeMessage(new byte[0]);
            hs[1].readMessage(m1);
            byte[] m2 = hs[1].writeMessage(new byte[8]);
            byte[] bad = i % 3 == 0 ? randomBytes(seeded, seeded.nextInt(120)) : mutate(m2, seeded);
            try {
                hs[0].readMessage(bad);
            } catch (NoiseException e) {
                refused++;
            }
        }
        assertTrue(refused >= 2999, "forged or mutated second messages authenticate: " + (3000 - refused));
    }

    @Test
    void aSideCannotWriteOrReadOutOfTurn() throws Exception {
        XxHandshake[] hs = fresh(new SecureRandom());
        assertThrows(IllegalStateException.class, () -> hs[1].writeMessage(new byte[0]));
        assertThrows(IllegalStateException.class, () -> hs[0].readMessage(new byte[32]));
        assertThrows(IllegalStateException.class, hs[0]::split);
    }

    @Test
    void aReplayedTransportMessageIsRefusedByItsNonce() throws Exception {
        XxHandshake[] hs = fresh(new SecureRandom());
        hs[1].readMessage(hs[0].writeMessage(new byte[0]));
        hs[0].readMessage(hs[1].writeMessage(new byte[0]));
        hs[1].readMessage(hs[0].writeMessage(new byte[0]));
        XxHandshake.Transport a = hs[0].split();
        XxHandshake.Transport b = hs[1].split();
        byte[] m = a.send().encryptWithAd(new byte[0], "frame".getBytes());
        assertArrayEquals("frame".getBytes(), b.receive().decryptWithAd(new byte[0], m));
        assertThrows(NoiseException.class, () -> b.receive().decryptWithAd(new byte[0], m));
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] mutate(byte[] m, Random r) {
        byte[] b = m.clone();
        int flips = 1 + r.nextInt(3);
        for (int f = 0; f < flips; f++) {
            b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
        }
        return b;
    }
}
