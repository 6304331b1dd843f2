package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadRecorderTest {
    private static final RingAddress A = RingAddress.ofName("a");
    private static final RingAddress B = RingAddress.ofName("b");
    private static final RingAddress ME = RingAddress.ofName("me");

    @Test
    void offUnlessThePropertyNamesAFile() throws IOException {
        assertEquals(null, System.getProperty(PayloadRecorder.PROPERTY));
        assertEquals(null, PayloadRecorder.fromSystemProperty(ME));
    }

    @Test
    void forwardedDeliveredAndOpenedPayloadsAreAppendedOneALineForTheOwnerOnly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("payloads.rec");
        try (PayloadRecorder recorder = PayloadRecorder.open(file, ME)) {
            recorder.forwarded(routed(A, B, new byte[] {1, 2}));
            recorder.delivered(routed(B, ME, new byte[] {(byte) 0xff}));
            recorder.frame(A, Unpooled.wrappedBuffer(new byte[] {0x0a, 0x0b}));
        }
        assertEquals(List.of("forwarded " + A + " " + B + " " + PayloadTypes.SEALED + " 0102",
                "delivered " + B + " " + ME + " " + PayloadTypes.SEALED + " ff",
                "frame " + A + " " + ME + " - 0a0b"), Files.readAllLines(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (PayloadRecorder again = PayloadRecorder.open(file, ME)) {
            again.forwarded(routed(A, B, new byte[] {3}));
        }
        assertEquals(4, Files.readAllLines(file).size(), "a restarted node appends");
    }

    @Test
    void aLinkPlantedAtTheNameIsRefusedNotWrittenThrough(@TempDir Path dir) throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("payloads.rec"), victim);
        assertThrows(IOException.class, () -> PayloadRecorder.open(link, ME));
        assertEquals("keep", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link) && Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    }

    private static RingMessage.Routed routed(RingAddress from, RingAddress to, byte[] payload) {
        return new RingMessage.Routed(from, to, RoutingMode.EXACT, 10, 1, false, 1, PayloadTypes.SEALED, payload);
    }
}
