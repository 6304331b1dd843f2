package io.ringswitch.overlay.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Asks a node's {@link ControlSocket} one request and reads its answer ({@code ringswitch status}, {@code ping}). */
public final class ControlClient {
    /** The longest answer read: a status of a node with hundreds of links is well under this. */
    static final int MAX_ANSWER_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ControlClient() {
    }

    /** Sends {@code request} to the socket at {@code socket} and returns the answer. */
    public static ControlAnswer ask(Path socket, ControlRequest request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.wrap(line);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return JSON.readValue(readLine(Channels.newInputStream(channel)), ControlAnswer.class);
        }
    }

    /** One line of the answer, at most {@link #MAX_ANSWER_BYTES}. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    line.write(chunk, 0, i);
                    return line.toByteArray();
                }
            }
            line.write(chunk, 0, n);
            if (line.size() > MAX_ANSWER_BYTES) {
                throw new IOException("the node's answer is longer than " + MAX_ANSWER_BYTES + " bytes");
            }
        }
        throw new IOException("the node closed the control socket without an answer");
    }
}
