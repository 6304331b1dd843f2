package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.topology.Preflight;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the OpenFlowJ-Loxi jar that the build leaves in {@code topology/target/lib} (the one nodes,
 * the lab and the Debian package run) still reads: OpenFlow 1.3 whole, and the HELLO, ECHO and
 * ERROR messages of every other version, which the handshake answers; nothing else of those
 * versions (topology/pom.xml, issue 21). The classes are loaded from that jar alone, not from
 * Maven's class path, which holds the whole jar.
 */
class TrimmedLoxiJarTest {
    private static final Path LIB = Preflight.home().resolve("topology/target/lib");
    private static URLClassLoader loader;

    @BeforeAll
    static void loadTheLibDirectory() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(LIB)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    @AfterAll
    static void close() throws IOException {
        loader.close();
    }

    @Test
    void theJarHoldsNoFlowModOfAnotherVersion() throws IOException {
        try (ZipFile jar = new ZipFile(LIB.resolve("openflowj-3.2.1.onos.jar").toFile())) {
            String protocol = "org/projectfloodlight/openflow/protocol/";
            assertTrue(jar.getEntry(protocol + "ver13/OFFlowAddVer13.class") != null);
            assertEquals(null, jar.getEntry(protocol + "ver15/OFFlowAddVer15.class"));
            assertTrue(jar.size() < 10_000, jar.size() + " entries: the jar was not trimmed");
        }
    }

    @Test
    void helloEchoAndErrorOfEveryVersionAreRead() throws Exception {
        assertEquals("OFHelloVer15", read(6, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x50));
        assertEquals("OFHelloVer14", read(5, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x30));
        assertEquals("OFHelloVer12", read(3, 0, 0, 8, 0, 0, 0, 1));
        assertEquals("OFHelloVer11", read(2, 0, 0, 8, 0, 0, 0, 1));
        assertEquals("OFHelloVer10", read(1, 0, 0, 8, 0, 0, 0, 1));
        assertEquals("OFHelloFailedErrorMsgVer10", read(1, 1, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0));
        assertEquals("OFHelloFailedErrorMsgVer15", read(6, 1, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0));
        assertEquals("OFEchoRequestVer14", read(5, 2, 0, 8, 0, 0, 0, 1));
        assertEquals("OFEchoRequestVer13", read(4, 2, 0, 8, 0, 0, 0, 1));
    }

    @Test
    void anyOtherMessageOfAnotherVersionFailsToLinkWhichTheDecoderTreatsAsUnparsable() {
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> read(6, 5, 0, 8, 0, 0, 0, 1));
        assertInstanceOf(LinkageError.class, e.getCause());
    }

    /** The simple class name of what Loxi's generic reader makes of {@code bytes}. */
    private static String read(int... bytes) throws Exception {
        byte[] message = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            message[i] = (byte) bytes[i];
        }
        Class<?> byteBuf = loader.loadClass("io.netty.buffer.ByteBuf");
        Object buffer = loader.loadClass("io.netty.buffer.Unpooled").getMethod("wrappedBuffer", byte[].class)
                .invoke(null, (Object) message);
        Object reader = loader.loadClass("org.projectfloodlight.openflow.protocol.OFFactories")
                .getMethod("getGenericReader").invoke(null);
        Object parsed = loader.loadClass("org.projectfloodlight.openflow.protocol.OFMessageReader")
                .getMethod("readFrom", byteBuf).invoke(reader, buffer);
        return parsed.getClass().getSimpleName();
    }
}
