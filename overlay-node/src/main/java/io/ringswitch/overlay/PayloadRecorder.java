package io.ringswitch.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.routing.RoutedObserver;
import io.ringswitch.overlay.security.LocalFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TEST HOOK, off by default: started with {@code -D}{@value #PROPERTY}{@code =FILE}, the node
 * appends to FILE everything it holds in its hands from the ring's routing, so that a test can
 * search it for what the node could read. The security demo's insider case runs it on the nodes
 * between two sites to show that their routed frames are ciphertext there (issue 18). Read once,
 * at start; the lab sets it only in that case. One line an entry:
 * <pre>
 * forwarded FROM TO TYPE HEX   a routed message passed on for others, its payload as it travels
 * delivered FROM TO TYPE HEX   a routed message that ended here, its source's proof taken off
 * frame     FROM TO -    HEX   an Ethernet frame opened here from a site's end-to-end session over the ring
 * </pre>
 * FROM and TO are ring addresses, TYPE the payload type ({@code PayloadTypes}). The file stops
 * growing at {@link #MAX_BYTES}; the node logs when. Confined to the event loop.
 */
final class PayloadRecorder implements RoutedObserver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PayloadRecorder.class);
    /** The system property that names the file. */
    static final String PROPERTY = "ringswitch.debug.recordPayloads";
    /** The file's largest size: the hook must not fill a disk under a long iperf3 run. */
    static final long MAX_BYTES = 64L << 20;
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final BufferedWriter out;
    private final RingAddress me;
    private long written;
    private boolean full;

    private PayloadRecorder(Path file, BufferedWriter out, RingAddress me) {
        this.file = file;
        this.out = out;
        this.me = me;
    }

    /** The recorder the system property asks for, or {@code null} when it is not set. */
    static PayloadRecorder fromSystemProperty(RingAddress me) throws IOException {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            return null;
        }
        return open(Path.of(name), me);
    }

    /** A recorder appending to {@code file}, made readable by its owner only; a link at the name is refused. */
    static PayloadRecorder open(Path file, RingAddress me) throws IOException {
        // O_NOFOLLOW: a link planted at the name is refused, not written through; readable by the
        // owner only, since it holds whatever the node could read.
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(Files.newByteChannel(file,
                Set.<OpenOption>of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(LocalFiles.OWNER_ONLY))),
                StandardCharsets.US_ASCII));
        log.warn("TEST HOOK {} is set: every routed payload this node forwards or takes in, and every frame it opens from "
                + "the ring, is written to {} (never set this outside a test)", PROPERTY, file);
        return new PayloadRecorder(file, out, me);
    }

    @Override
    public void forwarded(RingMessage.Routed m) {
        write("forwarded", m.from(), m.dst(), Integer.toString(m.payloadType()), HEX.formatHex(m.payload()));
    }

    @Override
    public void delivered(RingMessage.Routed m) {
        write("delivered", m.from(), m.dst(), Integer.toString(m.payloadType()), HEX.formatHex(m.payload()));
    }

    /** A frame from {@code site} that this node opened from their end-to-end session over the ring. */
    void frame(RingAddress site, ByteBuf frame) {
        write("frame", site, me, "-", ByteBufUtil.hexDump(frame));
    }

    private void write(String kind, RingAddress from, RingAddress to, String type, String hex) {
        if (full) {
            return;
        }
        String line = kind + " " + from + " " + to + " " + type + " " + hex + "\n";
        if (written + line.length() > MAX_BYTES) {
            full = true;
            log.warn("test hook: {} reached {} bytes; recording stopped", file, MAX_BYTES);
            return;
        }
        try {
            out.write(line);
            // Flushed at once: the test reads the file while the node runs.
            out.flush();
            written += line.length();
        } catch (IOException e) {
            full = true;
            log.warn("test hook: cannot write {}: {}; recording stopped", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            log.warn("test hook: cannot close {}: {}", file, e.getMessage());
        }
    }
}
